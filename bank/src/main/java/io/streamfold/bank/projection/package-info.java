/**
 * The bank's projections plugged into the projection service ({@link
 * io.streamfold.bank.projection.BankProjections}, found through {@code META-INF/services}): the
 * money transfers' view. The accounts' read models (summaries, history, statistics, owner index)
 * are still built into the projection service.
 */
package io.streamfold.bank.projection;
