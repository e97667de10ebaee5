/**
 * The bank ledger, a domain plugged into the command service ({@link
 * io.streamfold.bank.BankDomain}, found through {@code META-INF/services}): accounts ({@code
 * account}) and money transfers ({@code transfer}, a process manager), their Avro mappings ({@code
 * avro}) and HTTP bodies ({@code http}). It uses the engine's plug-in contract ({@code
 * io.streamfold.command.aggregate}, {@code .domain}, {@code .http}'s resource contract); the engine
 * never names it.
 */
package io.streamfold.bank;
