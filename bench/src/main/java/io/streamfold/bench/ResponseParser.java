package io.streamfold.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 answers parsed from bytes as they arrive, whatever the pieces they arrive in: {@link
 * #feed} what a read returned, then take each whole answer with {@link #next} (null while one is
 * still partial). The load generator's two clients share it: {@link RawHttp} on a blocking socket,
 * {@link LoopClients} on a selector.
 */
final class ResponseParser {
  /** A whole answer, and whether the server closes the connection after it. */
  record Parsed(RawHttp.Response response, boolean close) {}

  /** What was fed and not parsed yet: {@code data[start, end)}. */
  private byte[] data = new byte[16 * 1024];

  private int start;
  private int end;

  void feed(byte[] bytes, int offset, int length) {
    room(length);
    System.arraycopy(bytes, offset, data, end, length);
    end += length;
  }

  void feed(ByteBuffer bytes) {
    int length = bytes.remaining();
    room(length);
    bytes.get(data, end, length);
    end += length;
  }

  /** Forgets a partial answer (a connection closed under it). */
  void reset() {
    start = 0;
    end = 0;
  }

  boolean partial() {
    return end > start;
  }

  private void room(int length) {
    if (end + length <= data.length) {
      return;
    }
    int kept = end - start;
    byte[] into = kept + length <= data.length ? data : new byte[2 * (kept + length)];
    System.arraycopy(data, start, into, 0, kept);
    data = into;
    start = 0;
    end = kept;
  }

  /**
   * @return the next whole answer fed, or null until all of it is here
   */
  Parsed next() throws IOException {
    int headEnd = indexOf(start, "\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    int lineEnd = indexOf(start, "\r\n");
    String status = ascii(start, lineEnd);
    if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
      throw new IOException("Bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    boolean close = false;
    String etag = null;
    String servedBy = null;
    for (int at = lineEnd + 2; at < headEnd; ) {
      int next = indexOf(at, "\r\n");
      String header = ascii(at, next);
      at = next + 2;
      int colon = header.indexOf(':');
      if (colon < 0) {
        throw new IOException("Bad header line: " + header);
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("ETag")) {
        etag = value;
      } else if (name.equalsIgnoreCase("X-Streamfold-Served-By")) {
        servedBy = value;
      } else if (name.equalsIgnoreCase("Connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    int bodyStart = headEnd + 4;
    String body;
    int after;
    if (chunked) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int at = bodyStart;
      while (true) {
        int sizeEnd = indexOf(at, "\r\n");
        if (sizeEnd < 0) {
          return null;
        }
        int size = Integer.parseInt(ascii(at, sizeEnd).split(";")[0].trim(), 16);
        if (size == 0) {
          int trailerEnd = indexOf(sizeEnd, "\r\n\r\n"); // no trailers: the CR LF right after
          if (trailerEnd < 0) {
            return null;
          }
          after = trailerEnd + 4;
          break;
        }
        if (sizeEnd + 2 + size + 2 > end) {
          return null;
        }
        bytes.write(data, sizeEnd + 2, size);
        at = sizeEnd + 2 + size + 2;
      }
      body = bytes.toString(StandardCharsets.UTF_8);
    } else {
      int size = Math.max(0, length);
      if (bodyStart + size > end) {
        return null;
      }
      body = new String(data, bodyStart, size, StandardCharsets.UTF_8);
      after = bodyStart + size;
    }
    start = after;
    if (start == end) {
      start = 0;
      end = 0;
    }
    return new Parsed(new RawHttp.Response(code, etag, servedBy, body), close);
  }

  private int indexOf(int from, String ascii) {
    int last = end - ascii.length();
    outer:
    for (int i = from; i <= last; i++) {
      for (int j = 0; j < ascii.length(); j++) {
        if (data[i + j] != ascii.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private String ascii(int from, int to) {
    return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
