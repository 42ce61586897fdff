package dev.openshell.sandbox.proxy.identity;

/**
 * One version of a file: device, inode, size and modification time (nanoseconds). A file whose
 * content changes in place gets a new size or mtime; a replaced file gets a new inode.
 */
record FileVersion(long dev, long ino, long size, long mtimeNanos) {

    // written out: the generated ones go through invokedynamic, slow in a C1-only JVM (the proxy's)
    @Override
    public boolean equals(Object o) {
        return o instanceof FileVersion v
                && v.dev == dev
                && v.ino == ino
                && v.size == size
                && v.mtimeNanos == mtimeNanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ino) * 31 + Long.hashCode(mtimeNanos ^ size ^ dev);
    }
}
