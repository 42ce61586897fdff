import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the CLI's jar: rewrites every class file older than Java 6 (major version 50)
 * to Java 8's format (52), with stack maps computed anew, in place.
 *
 * <p>Why: the JVM's AOT cache (and CDS before it) cannot hold classes older than Java 6, and
 * picocli is compiled for Java 5. Without this, every {@code openshell} command loads and
 * verifies picocli's ~230 classes from the jar with the old inferencing verifier, which is most
 * of a short command's start-up. The bytecode itself is unchanged: only the version number and
 * the StackMapTable attributes the newer format requires are written.
 *
 * <p>Run with the JDK's source launcher: {@code java ClassFileUpgrade.java JAR}.
 */
public final class ClassFileUpgrade {

    private static final int OLDEST_ARCHIVABLE = ClassFile.JAVA_6_VERSION;
    private static final int TARGET = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java ClassFileUpgrade.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".upgrade.tmp");
        int upgraded;
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassFile classFile = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes))),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            upgraded = rewrite(jar, rewritten, classFile);
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        if (upgraded == 0) {
            System.err.println("ClassFileUpgrade: no class file older than Java 6 in " + jar + "; is this step still needed?");
        }
    }

    private static int rewrite(Path jar, Path target, ClassFile classFile) throws IOException {
        int upgraded = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (isClass(entry)) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < OLDEST_ARCHIVABLE) {
                        bytes = upgrade(classFile, model);
                        upgraded++;
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return upgraded;
    }

    /** The class at the new version; rebuilding each method body makes the library compute its stack maps. */
    private static byte[] upgrade(ClassFile classFile, ClassModel model) {
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET, 0);
            } else {
                builder.with(element);
            }
        };
        return classFile.transformClass(
                model, version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
    }

    private static boolean isClass(ZipEntry entry) {
        String name = entry.getName();
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
    }
}
