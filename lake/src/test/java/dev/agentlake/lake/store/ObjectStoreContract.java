package dev.agentlake.lake.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link ObjectStore} must do; run against each real backend by a subclass. */
public abstract class ObjectStoreContract {

    protected abstract ObjectStore store();

    @Test
    void putThenGetReturnsTheSameBytesAndPutReplaces() {
        store().put("c/a.txt", "one".getBytes(UTF_8));
        assertThat(store().get("c/a.txt")).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("one"));
        store().put("c/a.txt", "two".getBytes(UTF_8));
        assertThat(new String(store().get("c/a.txt").orElseThrow(), UTF_8)).isEqualTo("two");
    }

    @Test
    void getOfAMissingKeyIsEmpty() {
        assertThat(store().get("c/missing")).isEmpty();
    }

    @Test
    void putIfAbsentCreatesOnceAndNeverReplaces() {
        assertThat(store().putIfAbsent("c/snap/1.json", "first".getBytes(UTF_8))).isTrue();
        assertThat(store().putIfAbsent("c/snap/1.json", "second".getBytes(UTF_8))).isFalse();
        assertThat(new String(store().get("c/snap/1.json").orElseThrow(), UTF_8)).isEqualTo("first");
    }

    @Test
    void listReturnsEveryKeyUnderThePrefixInOrderAcrossPages() {
        var expected = new ArrayList<String>();
        for (int i = 0; i < 1_005; i++) {
            expected.add(String.format("c/list/%04d", i));
        }
        // Written in parallel: one at a time 1,005 puts would dominate the suite.
        expected.parallelStream().forEach(k -> store().put(k, new byte[] {1}));
        store().put("c/other", new byte[] {1});
        List<StoredObject> listed = store().list("c/list/");
        assertThat(listed).extracting(StoredObject::key).containsExactlyElementsOf(expected);
        assertThat(listed).allSatisfy(o -> {
            assertThat(o.size()).isEqualTo(1);
            assertThat(o.etag()).isNotBlank().doesNotContain("\"");
        });
    }

    @Test
    void deleteRemovesKeysAndIgnoresMissingOnes() {
        store().put("c/d/1", new byte[] {1});
        store().put("c/d/2", new byte[] {2});
        store().delete(List.of("c/d/1", "c/d/never-existed"));
        assertThat(store().list("c/d/")).extracting(StoredObject::key).containsExactly("c/d/2");
    }

    @Test
    void downloadWritesTheObjectToAFile(@TempDir Path dir) throws Exception {
        store().put("c/dl/x.bin", new byte[] {7, 8, 9});
        Path target = dir.resolve("nested/x.bin");
        assertThat(store().download("c/dl/x.bin", target)).isTrue();
        assertThat(Files.readAllBytes(target)).containsExactly(7, 8, 9);
        assertThat(store().download("c/dl/missing", dir.resolve("m"))).isFalse();
        assertThat(dir.resolve("m")).doesNotExist();
    }
}
