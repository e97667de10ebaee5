/**
 * The embedded default: {@link io.streamfold.launcher.Launcher} starts a persistent single-node
 * KRaft broker and Apicurio Registry (child JVMs, data under one folder) and both services in its
 * own JVM, and stops them all on SIGINT/SIGTERM. Started by {@code ./run.sh}.
 */
package io.streamfold.launcher;
