package dev.openshell.sandbox.proxy.identity;

/**
 * One version of a file: device, inode, size and modification time (nanoseconds). A file whose
 * content changes in place gets a new size or mtime; a replaced file gets a new inode.
 */
record FileVersion(long dev, long ino, long size, long mtimeNanos) {}
