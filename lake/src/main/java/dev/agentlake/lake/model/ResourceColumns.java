package dev.agentlake.lake.model;

import java.util.Objects;

/**
 * What a record's OTLP resource says about where it came from; shared by every row of one
 * resource so a batch allocates it once.
 *
 * @param tool normalised tool name, see {@link Tool}
 * @param attributesJson all resource attributes as a JSON object, so nothing is lost
 */
public record ResourceColumns(
        String tool,
        String serviceName,
        String serviceVersion,
        String hostName,
        String attributesJson) {

    public ResourceColumns {
        Objects.requireNonNull(tool, "tool is null");
        Objects.requireNonNull(attributesJson, "attributesJson is null");
    }
}
