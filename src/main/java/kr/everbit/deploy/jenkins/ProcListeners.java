package kr.everbit.deploy.jenkins;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets this process listens on, read from Linux's /proc: the listening sockets of the network namespace
 * ({@code /proc/net/tcp}, {@code tcp6}), kept when one of the process's file descriptors is that socket.
 */
final class ProcListeners {
    private static final String LISTEN = "0A";
    private static final Path PROC = Path.of("/proc");

    private ProcListeners() {
    }

    /** The listening sockets, or null when /proc cannot tell (another OS, or no permission). */
    static List<Exposure.Listener> read() {
        try {
            Set<String> inodes = socketInodes(PROC.resolve("self/fd"));
            List<Exposure.Listener> all = new ArrayList<>(parse(Files.readAllLines(PROC.resolve("net/tcp")), inodes));
            Path tcp6 = PROC.resolve("net/tcp6");
            if (Files.isReadable(tcp6)) {
                all.addAll(parse(Files.readAllLines(tcp6), inodes));
            }
            return all;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Set<String> socketInodes(Path fds) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // The descriptor was closed while we looked: it is no listener of ours any more.
                }
            }
        }
        return inodes;
    }

    /** Parses /proc/net/tcp or tcp6 lines (header included), keeping listeners whose inode is in {@code inodes}. */
    static List<Exposure.Listener> parse(List<String> lines, Set<String> inodes) {
        List<Exposure.Listener> listeners = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":") || !LISTEN.equals(f[3]) || !inodes.contains(f[9])) {
                continue;
            }
            String[] local = f[1].split(":");
            listeners.add(new Exposure.Listener(address(local[0]), Integer.parseInt(local[1], 16)));
        }
        return listeners;
    }

    /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
    private static InetAddress address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + 3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + hex, e);
        }
    }
}
