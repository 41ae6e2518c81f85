package dev.agentlake.lake.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's folder holds the lake (prompts included): other local accounts cannot read a new one. */
class EmbeddedS3ServerFolderTest {
    @TempDir
    Path tmp;

    @Test
    void givenNoDataFolderWhenTheServerStartsThenTheFolderItCreatesIsTheOwnersOnly() throws Exception {
        Path data = tmp.resolve("agentlake-data");
        try (EmbeddedS3Server server = EmbeddedS3Server.start(data.resolve("s3"), "127.0.0.1", 0, "k", "secret-key-0123456789")) {
            assertThat(server.port()).isPositive();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(data.resolve("s3")).isDirectory();
    }

    @Test
    void givenAnExistingFolderWhenTheServerStartsThenItsPermissionsStay() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("shared-data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        try (EmbeddedS3Server server = EmbeddedS3Server.start(data, "127.0.0.1", 0, "k", "secret-key-0123456789")) {
            assertThat(server.port()).isPositive();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxr-x---");
    }
}
