/**
 * Money transfers between two accounts: an aggregate whose state is a process. A transfer checks
 * that the account to credit can take the money, debits the other, credits the first, and refunds
 * the debit when the credit is refused or the deadline passes after it; it ends {@code COMPLETED},
 * {@code FAILED} (nothing moved) or {@code REFUNDED} (the money went back). {@link
 * io.streamfold.bank.transfer.TransferDecider} holds the rules, {@link
 * io.streamfold.bank.transfer.TransferProcess} the messages each step sends to the accounts. Plain
 * Java: imports only {@code java.*}, the domain kernel and the account's money rules.
 */
package io.streamfold.bank.transfer;
