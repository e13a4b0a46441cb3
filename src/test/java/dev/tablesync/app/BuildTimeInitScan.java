package dev.tablesync.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds static initialisers that would capture the build machine in a native image. Quarkus
 * initialises application classes at build time, so a static field holding the clock, a random
 * seed, a thread, a socket, the environment or a file's content is frozen into the executable.
 * Follows calls from each {@code <clinit>} into the scanned classes' own methods; lambdas are not
 * followed, since creating one runs none of its body.
 */
final class BuildTimeInitScan {

    /** Whole classes whose use while initialising a class is always build-machine state. */
    private static final List<String> DENIED_OWNERS = List.of("java/net/Socket", "java/net/ServerSocket",
            "java/net/InetAddress", "java/net/http/", "java/nio/channels/", "java/sql/DriverManager",
            "java/util/concurrent/Executors", "java/util/concurrent/ThreadLocalRandom", "java/util/Random",
            "java/security/SecureRandom", "java/util/Timer", "java/lang/Thread", "java/nio/file/Files",
            "java/io/FileInputStream", "java/io/FileReader", "java/lang/ProcessBuilder", "java/lang/Runtime");

    /** Single methods of otherwise harmless classes. */
    private static final Set<String> DENIED_METHODS = Set.of("java/lang/System.currentTimeMillis",
            "java/lang/System.nanoTime", "java/lang/System.getenv", "java/lang/System.getProperty",
            "java/lang/Math.random", "java/util/UUID.randomUUID", "java/time/Instant.now", "java/time/LocalDateTime.now",
            "java/time/LocalDate.now", "java/time/LocalTime.now", "java/time/OffsetDateTime.now",
            "java/time/ZonedDateTime.now", "java/time/Clock.systemUTC", "java/time/Clock.systemDefaultZone",
            "java/time/ZoneId.systemDefault", "java/util/TimeZone.getDefault", "java/util/Locale.getDefault",
            "java/util/concurrent/ForkJoinPool.commonPool", "java/util/concurrent/CompletableFuture.supplyAsync",
            "java/util/concurrent/CompletableFuture.runAsync", "java/net/URL.openConnection",
            "java/net/URL.openStream");

    private final String packagePrefix;
    private final Map<String, ClassNode> classes = new HashMap<>();

    /** Reads every class file under {@code root} whose internal name starts with {@code packagePrefix}. */
    BuildTimeInitScan(Path root, String packagePrefix) {
        this.packagePrefix = packagePrefix;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                ClassNode node = read(file);
                if (node.name.startsWith(packagePrefix)) {
                    classes.put(node.name, node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int classCount() {
        return classes.size();
    }

    /** One line per forbidden call reachable from a static initialiser: the call chain and the call. */
    List<String> violations() {
        Set<String> found = new TreeSet<>();
        for (ClassNode c : classes.values()) {
            method(c.name, "<clinit>", "()V").ifPresent(m -> visit(c.name, m, c.name + ".<clinit>",
                    new HashSet<>(), found));
        }
        return List.copyOf(found);
    }

    private void visit(String owner, MethodNode method, String chain, Set<String> seen, Set<String> found) {
        if (!seen.add(owner + "." + method.name + method.desc)) {
            return;
        }
        for (AbstractInsnNode insn : method.instructions) {
            if (!(insn instanceof MethodInsnNode call)) {
                continue;
            }
            String what = call.owner.replace('/', '.');
            if (DENIED_METHODS.contains(call.owner + "." + call.name)) {
                found.add(chain + " calls " + what + "." + call.name);
            } else if (DENIED_OWNERS.stream().anyMatch(call.owner::startsWith)) {
                found.add(chain + " uses " + what);
            } else if (call.owner.startsWith(packagePrefix)) {
                resolve(call.owner, call.name, call.desc).ifPresent(target -> visit(target.owner(), target.method(),
                        chain + " -> " + simple(target.owner()) + "." + call.name, seen, found));
            }
        }
    }

    private record Target(String owner, MethodNode method) {
    }

    /** The method a call reaches, looked up the superclass chain as long as it stays in the scanned classes. */
    private Optional<Target> resolve(String owner, String name, String desc) {
        for (String type = owner; type != null && classes.containsKey(type); type = classes.get(type).superName) {
            String current = type;
            Optional<MethodNode> m = method(type, name, desc);
            if (m.isPresent()) {
                return m.map(found -> new Target(current, found));
            }
        }
        return Optional.empty();
    }

    private Optional<MethodNode> method(String owner, String name, String desc) {
        ClassNode c = classes.get(owner);
        return c == null ? Optional.empty()
                : c.methods.stream().filter(m -> m.name.equals(name) && m.desc.equals(desc)).findFirst();
    }

    private static String simple(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    private static ClassNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            ClassNode node = new ClassNode();
            new ClassReader(in).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
