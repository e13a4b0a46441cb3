package dev.tablesync.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a server log, attached to start-up failures so that the cause (bad option, port in use,
 * corrupt data dir) is visible in the test report without digging through temp directories.
 */
final class LogTail {

    static final int LINES = 30;

    private LogTail() {
    }

    /** Last {@value #LINES} lines of {@code file}, or a note saying why it could not be read. */
    static String of(Path file) {
        try {
            // ISO-8859-1 never fails to decode, and server logs are ASCII in practice.
            return of(file.toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Last {@value #LINES} lines of {@code text}, headed by where they came from. */
    static String of(String source, String text) {
        List<String> lines = text.lines().toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - LINES), lines.size());
        return "Last " + tail.size() + " lines of " + source + ":\n" + String.join("\n", tail);
    }
}
