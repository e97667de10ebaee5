/**
 * A counter, the smallest domain a team would write: one aggregate ({@link
 * io.streamfold.examples.counter.CounterDecider}, {@link
 * io.streamfold.examples.counter.CounterAggregate}, {@link
 * io.streamfold.examples.counter.CounterResource}) and one projection ({@link
 * io.streamfold.examples.counter.CounterViews}), plugged into both services by {@link
 * io.streamfold.examples.counter.CounterDomain}. The README shows it whole.
 */
package io.streamfold.examples.counter;
