package io.streamfold.projection.view;

import java.math.BigDecimal;

/** The change one applied event makes to the ledger statistics of its currency. */
public record StatsDelta(String currency, long open, long closed, BigDecimal balance) {}
