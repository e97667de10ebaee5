/**
 * The benchmarks behind {@code ./bench.sh}: open-loop load at fixed rates with coordinated-omission
 * correction (latency from each request's intended start), closed-loop saturation, reads,
 * command-to-visible lag and projection rebuild, each beside a raw Kafka baseline measured on the
 * same broker in the same run, reported as JSON, Markdown and SVG. Talks only to 127.0.0.1.
 */
package io.streamfold.bench;
