package io.streamfold.projection.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A domain's projections, plugged into the projection service: found with {@link ServiceLoader}
 * ({@code META-INF/services/io.streamfold.projection.plugin.ProjectionDomain}).
 */
public interface ProjectionDomain {

  List<ViewProjection<?, ?>> views();

  /** Every view of every domain on the classpath, in the order found. */
  static List<ViewProjection<?, ?>> loadViews() {
    List<ViewProjection<?, ?>> views = new ArrayList<>();
    ServiceLoader.load(ProjectionDomain.class).forEach(domain -> views.addAll(domain.views()));
    return views;
  }
}
