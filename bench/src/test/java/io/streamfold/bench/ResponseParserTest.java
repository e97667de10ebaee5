package io.streamfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The answers' parser fed in pieces of every size, with bodies larger than its first buffer (a
 * {@code /metrics} page), one with a length and one chunked, back to back on one connection.
 */
class ResponseParserTest {
  private static final String LARGE = "metric{a=\"b\"} 1\n".repeat(4_000);

  private static byte[] twoAnswers() {
    StringBuilder chunked =
        new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: \"3\"\r\n\r\n");
    for (int at = 0; at < LARGE.length(); at += 32_768) {
      String chunk = LARGE.substring(at, Math.min(LARGE.length(), at + 32_768));
      chunked
          .append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    chunked.append("0\r\n\r\n");
    String sized =
        "HTTP/1.1 404 Not Found\r\nContent-Length: "
            + LARGE.length()
            + "\r\nConnection: close\r\n\r\n"
            + LARGE;
    return (chunked + sized).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void shouldParseLargeAnswersFedInPiecesOfAnySize() throws IOException {
    byte[] bytes = twoAnswers();
    for (int piece : new int[] {1, 7, 1_000, 16_384, 16_385, 65_536, bytes.length}) {
      ResponseParser parser = new ResponseParser();
      List<ResponseParser.Parsed> parsed = new ArrayList<>();
      for (int at = 0; at < bytes.length; at += piece) {
        if (piece % 2 == 0) {
          parser.feed(bytes, at, Math.min(piece, bytes.length - at));
        } else {
          parser.feed(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
        }
        for (ResponseParser.Parsed one = parser.next(); one != null; one = parser.next()) {
          parsed.add(one);
        }
      }

      assertThat(parsed).as("pieces of " + piece).hasSize(2);
      assertThat(parsed.get(0).response().status()).isEqualTo(200);
      assertThat(parsed.get(0).response().etag()).isEqualTo("\"3\"");
      assertThat(parsed.get(0).response().body()).isEqualTo(LARGE);
      assertThat(parsed.get(0).close()).isFalse();
      assertThat(parsed.get(1).response().status()).isEqualTo(404);
      assertThat(parsed.get(1).response().body()).isEqualTo(LARGE);
      assertThat(parsed.get(1).close()).isTrue();
      assertThat(parser.partial()).isFalse();
    }
  }

  @Test
  void shouldRefuseWhatIsNotAnAnswer() {
    ResponseParser parser = new ResponseParser();
    parser.feed("SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, 19);

    assertThatThrownBy(parser::next).isInstanceOf(IOException.class).hasMessageContaining("SSH");
  }
}
