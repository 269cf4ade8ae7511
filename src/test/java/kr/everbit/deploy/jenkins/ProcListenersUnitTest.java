package kr.everbit.deploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcListenersUnitTest {
    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    @Test
    void listeningSocketsOfThisProcessAreParsed() {
        List<String> tcp = List.of(HEADER,
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0 100 0 0 10 0",
                "   1: 00000000:C350 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1 0 100 0 0 10 0",
                "   2: 0A7100CB:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1003 1 0 100 0 0 10 0",
                "   3: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 1004 1 0 20 4 30 10 -1",
                "   4: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9999 1 0 100 0 0 10 0");
        List<Exposure.Listener> found = ProcListeners.parse(tcp, Set.of("1001", "1002", "1003", "1004"));
        assertThat(found).extracting(l -> l.address().getHostAddress() + ":" + l.port())
                .containsExactly("127.0.0.1:8080", "0.0.0.0:50000", "203.0.113.10:8080");
    }

    @Test
    void ipv6WordsAreInHostByteOrder() {
        List<String> tcp6 = List.of(HEADER,
                "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0 100 0 0 10 0",
                "   1: 00000000000000000000000000000000:20FB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2002 1 0 100 0 0 10 0");
        List<Exposure.Listener> found = ProcListeners.parse(tcp6, Set.of("2001", "2002"));
        assertThat(found.get(0).address().isLoopbackAddress()).isTrue();
        assertThat(found.get(0).port()).isEqualTo(8080);
        assertThat(found.get(1).address().isAnyLocalAddress()).isTrue();
        assertThat(found.get(1).port()).isEqualTo(8443);
    }

    @Test
    void aSocketThisJvmOpensIsSeen() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Exposure.Listener> listeners = ProcListeners.read();
            assertThat(listeners).isNotNull();
            assertThat(listeners).anySatisfy(l -> {
                assertThat(l.port()).isEqualTo(socket.getLocalPort());
                assertThat(l.address().isLoopbackAddress()).isTrue();
            });
        }
    }
}
