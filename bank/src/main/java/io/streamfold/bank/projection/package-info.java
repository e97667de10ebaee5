/**
 * The bank's projections plugged into the projection service ({@link
 * io.streamfold.bank.projection.BankProjections}, found through {@code META-INF/services}): the
 * accounts' view ({@link io.streamfold.bank.projection.AccountViews}: each account, its ledger as
 * its history, its owner's accounts as an index, the money per currency as a total) and the money
 * transfers' ({@link io.streamfold.bank.projection.TransferViews}). Pure folds: the projection
 * service gives them their topology, stores, routes, idempotency, gaps and dead letters.
 */
package io.streamfold.bank.projection;
