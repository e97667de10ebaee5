package io.streamfold.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A subscription to {@code GET /api/v1/events} on a plain socket, the body de-chunked: light enough
 * for a hundred in the load generator, and closed by closing the socket (the JDK's
 * HttpURLConnection tries to drain an endless chunked body on close, under a lock its reader
 * holds).
 */
final class SseSocket implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final boolean chunked;
  private long chunkLeft;

  private SseSocket(Socket socket, InputStream in, boolean chunked) {
    this.socket = socket;
    this.in = in;
    this.chunked = chunked;
  }

  static SseSocket open(URI server, String query) throws IOException {
    Socket socket = new Socket(server.getHost(), server.getPort());
    try {
      socket.setSoTimeout(60_000);
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/events"
                      + query
                      + " HTTP/1.1\r\nHost: "
                      + server.getHost()
                      + "\r\nAccept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = new BufferedInputStream(socket.getInputStream(), 65_536);
      String status = line(in);
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IOException("Subscribing answered " + status);
      }
      boolean chunked = false;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        chunked |= header.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
      }
      return new SseSocket(socket, in, chunked);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Body bytes into {@code buffer}; -1 at the end of the stream. */
  int read(byte[] buffer) throws IOException {
    if (!chunked) {
      return in.read(buffer);
    }
    if (chunkLeft == 0) {
      String size = line(in);
      if (size.isEmpty()) { // the CRLF after a chunk's data
        size = line(in);
      }
      int extension = size.indexOf(';');
      chunkLeft = Long.parseLong(extension < 0 ? size : size.substring(0, extension), 16);
      if (chunkLeft == 0) {
        return -1;
      }
    }
    int n = in.read(buffer, 0, (int) Math.min(buffer.length, chunkLeft));
    if (n > 0) {
      chunkLeft -= n;
    }
    return n;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("The connection ended");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
