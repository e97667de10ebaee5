package io.streamfold.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KafkaBrokerSizingTest {

  @Test
  void aShortLivedBrokerOnTwoCoresRunsC1Alone() {
    assertThat(KafkaBroker.c1Only(false, 2)).isTrue();
    assertThat(KafkaBroker.c1Only(false, 1)).isTrue();
  }

  @Test
  void aLongRunningBrokerKeepsC2AndSoDoesAnyOnMoreCores() {
    assertThat(KafkaBroker.c1Only(true, 2)).isFalse();
    assertThat(KafkaBroker.c1Only(false, 4)).isFalse();
  }

  @Test
  void theBrokersThreadsFollowTheCores() {
    assertThat(KafkaBroker.threads(2))
        .containsEntry("num.io.threads", "2")
        .containsEntry("num.network.threads", "1");
    assertThat(KafkaBroker.threads(1))
        .containsEntry("num.io.threads", "2")
        .containsEntry("num.network.threads", "1");
    assertThat(KafkaBroker.threads(8))
        .containsEntry("num.io.threads", "8")
        .containsEntry("num.network.threads", "4");
  }
}
