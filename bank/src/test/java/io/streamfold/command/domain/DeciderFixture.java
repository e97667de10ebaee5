package io.streamfold.command.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

/**
 * Given/when/then for a {@link Decider}: folds the given events, decides, and checks the decision.
 */
public final class DeciderFixture<C, E, S> {
  public static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private final Decider<C, E, S> decider;
  private S state;

  private DeciderFixture(Decider<C, E, S> decider) {
    this.decider = decider;
    this.state = decider.initialState();
  }

  public static <C, E, S> DeciderFixture<C, E, S> of(Decider<C, E, S> decider) {
    return new DeciderFixture<>(decider);
  }

  @SafeVarargs
  public final DeciderFixture<C, E, S> given(E... events) {
    for (E event : events) {
      state = decider.evolve(state, event, NOW);
    }
    return this;
  }

  public S state() {
    return state;
  }

  public Then when(C command) {
    return new Then(decider.decide(command, state, NOW));
  }

  /** The checks on one decision. */
  public final class Then {
    private final Decision<E> decision;

    Then(Decision<E> decision) {
      this.decision = decision;
    }

    @SafeVarargs
    public final S thenEvents(E... expected) {
      assertThat(decision).isInstanceOf(Decision.Accepted.class);
      List<E> events = ((Decision.Accepted<E>) decision).events();
      assertThat(events).containsExactly(expected);
      S after = state;
      for (E event : events) {
        after = decider.evolve(after, event, NOW);
      }
      return after;
    }

    public Rejection thenRejected(Rejection.Kind kind, String code) {
      assertThat(decision).isInstanceOf(Decision.Rejected.class);
      Rejection rejection = ((Decision.Rejected<E>) decision).rejection();
      assertThat(rejection.kind()).isEqualTo(kind);
      assertThat(rejection.code()).isEqualTo(code);
      return rejection;
    }
  }
}
