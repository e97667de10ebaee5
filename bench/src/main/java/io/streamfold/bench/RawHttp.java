package io.streamfold.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client over one keep-alive connection, for the load generator: a request is
 * one write and the answer one parse of the status line, headers and body (Content-Length or
 * chunked), a few tens of microseconds of CPU where the JDK's HttpClient costs milliseconds. Not
 * thread-safe: one per load-generating thread.
 */
final class RawHttp implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  /** What was read from the connection and not parsed yet: {@code buffer[position, limit)}. */
  private final byte[] buffer = new byte[16 * 1024];

  private int position;
  private int limit;

  RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** A response: status, the headers we look at, the body. */
  record Response(int status, String etag, String servedBy, String body) {}

  Response post(String path, String json, String... headers) throws IOException {
    return send("POST", path, json, headers);
  }

  Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  private Response send(String method, String path, String json, String... headers)
      throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ");
    head.append(host).append(':').append(port).append("\r\n");
    if (json != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ");
      head.append(body.length).append("\r\n");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    head.append("\r\n");
    // one write, so the request leaves in one segment, as a client that buffers its request sends
    // it: two writes cost a second system call here and can wake the server twice
    byte[] request = new byte[head.length() + body.length];
    for (int i = 0; i < head.length(); i++) {
      request[i] = (byte) head.charAt(i);
    }
    System.arraycopy(body, 0, request, head.length(), body.length);
    for (int attempt = 0; ; attempt++) {
      try {
        connect();
        out.write(request);
        return read();
      } catch (IOException e) {
        close(); // a connection the server closed while idle: one fresh try
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(60_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      position = 0;
      limit = 0;
    }
  }

  private Response read() throws IOException {
    String status = line();
    if (status.length() < 12) {
      throw new IOException("Bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    String etag = null;
    String servedBy = null;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
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
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    String body =
        chunked ? chunked() : new String(bytes(Math.max(0, length)), StandardCharsets.UTF_8);
    if (closeAfter) {
      close();
    }
    return new Response(code, etag, servedBy, body);
  }

  private String chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        size > 0;
        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
      body.write(bytes(size));
      line();
    }
    line();
    return body.toString(StandardCharsets.UTF_8);
  }

  /** The next line without its CR LF, parsed in the buffer (no call per byte). */
  private String line() throws IOException {
    StringBuilder line = null;
    while (true) {
      for (int i = position; i < limit; i++) {
        if (buffer[i] == '\n') {
          int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
          String tail = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
          position = i + 1;
          if (line == null) {
            return tail;
          }
          line.append(tail);
          int last = line.length() - 1;
          if (last >= 0 && line.charAt(last) == '\r') { // the CR ended the previous read
            line.setLength(last);
          }
          return line.toString();
        }
      }
      if (line == null) {
        line = new StringBuilder(64);
      }
      line.append(new String(buffer, position, limit - position, StandardCharsets.ISO_8859_1));
      position = limit;
      fill();
    }
  }

  private byte[] bytes(int count) throws IOException {
    byte[] bytes = new byte[count];
    int copied = 0;
    while (copied < count) {
      if (position == limit) {
        fill();
      }
      int n = Math.min(count - copied, limit - position);
      System.arraycopy(buffer, position, bytes, copied, n);
      position += n;
      copied += n;
    }
    return bytes;
  }

  private void fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n < 0) {
      throw new IOException("Connection closed");
    }
    position = 0;
    limit = n;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
