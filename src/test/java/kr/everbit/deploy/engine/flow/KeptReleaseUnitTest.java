package kr.everbit.deploy.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kr.everbit.deploy.engine.remote.ShellResult;
import org.junit.jupiter.api.Test;

/** Whether a rollback finds its release on the VM, and its digest there: the VM's image list is data. */
class KeptReleaseUnitTest {
    private static final String SHA = "3f9c2ab";
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private static ImagePull.Kept kept(String... lines) {
        return ImagePull.kept(new ShellResult(0, List.of(lines)), SHA);
    }

    @Test
    void aReleaseOnTheVmIsKeptWithTheDigestTheRegistryGaveIt() {
        assertThat(kept("bbbbbbb " + "sha256:" + "b".repeat(64), SHA + " " + DIGEST)).isEqualTo(new ImagePull.Kept(DIGEST));
        // Pulled by its digest and tagged again, the release has a row without a tag too.
        assertThat(kept("<none> " + DIGEST, SHA + " <none>", SHA + " " + DIGEST)).isEqualTo(new ImagePull.Kept(DIGEST));
    }

    @Test
    void aReleaseBuiltOnTheVmIsKeptWithoutADigestAndAnAbsentOneIsNotKept() {
        assertThat(kept(SHA + " <none>")).isEqualTo(new ImagePull.Kept(null));
        assertThat(kept(SHA + " sha256:x;rm")).isEqualTo(new ImagePull.Kept(null));
        assertThat(kept("3f9c2abc " + DIGEST, "<none> " + DIGEST)).isNull();
        assertThat(kept()).isNull();
    }
}
