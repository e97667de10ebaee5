package io.streamfold.bank.projection;

import io.streamfold.projection.plugin.ProjectionDomain;
import io.streamfold.projection.plugin.ViewProjection;
import java.util.List;

/** The bank's plugged-in projections: the money transfers' view. */
public final class BankProjections implements ProjectionDomain {
  @Override
  public List<ViewProjection<?, ?>> views() {
    return List.of(new TransferViews());
  }
}
