package dev.agentlake.cli.importer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Import bookkeeping of one session file: how far it was read and what those bytes were.
 *
 * @param size size on disk when last read; with {@code modifiedMillis}, a file with both unchanged is skipped unread
 * @param offset bytes consumed (decompressed); an appended file is read on from here
 * @param prefixFingerprint {@link PrefixFingerprint} of bytes {@code [0, offset)}: when it no longer matches, the
 *     file changed before the offset and is read again from the start (its calls keep their ids, so nothing is
 *     counted twice). Bookkeeping from before the fingerprint ({@code prefix_sha256}) has none: such a file is
 *     read once more from the start, which changes no total.
 * @param context what the reader needs to continue at the offset
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileCursor(
        @JsonProperty("size") long size,
        @JsonProperty("modified_millis") long modifiedMillis,
        @JsonProperty("offset") long offset,
        @JsonProperty("prefix_fingerprint") String prefixFingerprint,
        @JsonProperty("context") Map<String, String> context) {

    public FileCursor {
        if (size < 0 || offset < 0) {
            throw new IllegalArgumentException("negative size or offset");
        }
        context = context == null ? Map.of() : Map.copyOf(context);
    }
}
