package io.streamfold.command.writer;

import io.streamfold.schemas.core.CommandOutcome;
import io.streamfold.schemas.core.VersionRecord;
import java.util.List;

/**
 * Everything one command will write, computed before anything is written.
 *
 * @param events the encoded events, in order (empty when rejected)
 * @param newVersion the new version-table row, or null when nothing changes
 */
record Decided(List<byte[]> events, VersionRecord newVersion, CommandOutcome outcome) {}
