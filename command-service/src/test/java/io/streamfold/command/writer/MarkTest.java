package io.streamfold.command.writer;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MarkTest {
  @Test
  void shouldTravelInARecordHeader() {
    Mark mark = new Mark(41, 7, 1_000_000_000_000L);
    RecordHeaders headers = new RecordHeaders();
    headers.add(Mark.HEADER, mark.bytes());

    assertThat(Mark.of(headers)).isEqualTo(mark);
  }

  @Test
  void shouldReadAMissingOrMalformedMarkAsNone() {
    assertThat(Mark.of(new RecordHeaders())).isEqualTo(Mark.NONE);
    assertThat(Mark.of(new RecordHeaders().add(Mark.HEADER, new byte[] {1, 2, 3})))
        .isEqualTo(Mark.NONE);
    assertThat(Mark.of((byte[]) null)).isEqualTo(Mark.NONE);
  }

  @Test
  void shouldKeepTheLaterMark() {
    Mark earlier = new Mark(10, 5, 2);
    Mark later = new Mark(12, 6, 2);

    assertThat(earlier.max(later)).isEqualTo(later);
    assertThat(later.max(earlier)).isEqualTo(later);
    assertThat(Mark.NONE.max(earlier)).isEqualTo(earlier);
    assertThat(earlier.max(new Mark(11, 5, 2))).isEqualTo(new Mark(11, 5, 2));
  }
}
