package io.streamfold.projection.plugin;

/**
 * A view as the platform stores it: the version of the last event folded into it, and how many
 * versions were skipped over on the way (gaps).
 */
public record Versioned<V>(long version, long missingVersions, V view) {}
