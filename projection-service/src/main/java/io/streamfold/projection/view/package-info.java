/**
 * The read models and the pure projectors that fold events into them: view + event → view, with no
 * Kafka in sight. Projectors are idempotent by version: an event not newer than the view is
 * skipped; a version jump (a gap) is applied, counted and recorded in the view, never silently.
 * Depends on {@code java.*} and the generated event classes of {@code schemas}.
 */
package io.streamfold.projection.view;
