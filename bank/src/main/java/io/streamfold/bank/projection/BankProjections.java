package io.streamfold.bank.projection;

import io.streamfold.projection.plugin.ProjectionDomain;
import io.streamfold.projection.plugin.ViewProjection;
import java.util.List;

/** The bank's plugged-in projections: the accounts' view and the money transfers'. */
public final class BankProjections implements ProjectionDomain {
  @Override
  public List<ViewProjection<?, ?>> views() {
    return List.of(new AccountViews(), new TransferViews());
  }
}
