package io.streamfold.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Closed-loop clients on one thread, as wrk drives them: each client is a keep-alive connection
 * that sends its next request as soon as the answer to the previous one is whole, and one selector
 * serves them all. A thread per client (as {@link CommandLoad#parallel} runs them) costs a blocking
 * read, a sleep and a wake-up per request; here an answered round of the writer wakes this thread
 * once for all its answers, so the load generator takes less of the CPU it shares with the stack.
 *
 * <p>A connection the server closed (after an answer with {@code Connection: close}, or while idle)
 * is opened again, and a request it closed under before any of its answer arrived is sent once
 * more, as {@link RawHttp} does: the requests sent through here must be safe to repeat (the bench's
 * commands carry an {@code Idempotency-Key}).
 */
final class LoopClients {
  /** A request: method, path, JSON body (null for none) and header names and values in turn. */
  record Request(String method, String path, String json, String... headers) {}

  /** One client's conversation, called on the loop's thread only. */
  interface Conversation {
    /**
     * @param previous the answer to the previous request, null before the first
     * @param nanos how long the previous request took, from its write to its whole answer
     * @return the next request, or null when this client is done
     */
    Request next(RawHttp.Response previous, long nanos);
  }

  private LoopClients() {}

  /**
   * Runs {@code clients} conversations on connections to {@code target} until each is done.
   *
   * @param conversation the conversation of client {@code i}
   * @throws IOException when a connection fails beyond the one repeat, or the server answers what
   *     is not HTTP
   */
  static void run(URI target, int clients, IntFunction<Conversation> conversation)
      throws IOException {
    run(target, clients, conversation, Duration.ofSeconds(60));
  }

  /**
   * As {@link #run(URI, int, IntFunction)}, failing when a request waits longer than {@code
   * patience} for its whole answer (as {@link RawHttp}'s read time-out does).
   */
  static void run(
      URI target, int clients, IntFunction<Conversation> conversation, Duration patience)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(target.getHost(), target.getPort());
    List<Client> open = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < clients; i++) {
        Client client = new Client(target, address, selector, conversation.apply(i));
        if (client.start()) {
          open.add(client);
        }
      }
      ByteBuffer read = ByteBuffer.allocateDirect(64 * 1024);
      int running = open.size();
      long checked = System.nanoTime();
      while (running > 0) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Client client = (Client) key.attachment();
          if (!key.isValid()) {
            continue;
          }
          if (key.isWritable()) {
            client.flush();
          } else if (key.isReadable() && !client.read(read)) {
            running--;
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - checked > 100_000_000L) {
          checked = now;
          for (Client client : open) {
            if (client.waiting(now) > patience.toNanos()) {
              throw new IOException("No whole answer within " + patience.toMillis() + " ms");
            }
          }
        }
      }
    } finally {
      for (Client client : open) {
        client.closeChannel(); // a client done has closed its own; a failed run leaves none open
      }
    }
  }

  private static final class Client {
    private final URI target;
    private final InetSocketAddress address;
    private final Selector selector;
    private final Conversation conversation;
    private final ResponseParser answers = new ResponseParser();
    private SocketChannel channel;
    private SelectionKey key;
    private byte[] request;
    private ByteBuffer unwritten;
    private long sent;
    private boolean repeated;

    Client(URI target, InetSocketAddress address, Selector selector, Conversation conversation) {
      this.target = target;
      this.address = address;
      this.selector = selector;
      this.conversation = conversation;
    }

    /**
     * @return false when the conversation has nothing to send
     */
    boolean start() throws IOException {
      return send(conversation.next(null, 0));
    }

    /**
     * @return how long the request in flight has waited for its answer, 0 when none is
     */
    long waiting(long now) {
      return request == null ? 0 : now - sent;
    }

    private boolean send(Request next) throws IOException {
      if (next == null) {
        request = null;
        closeChannel();
        return false;
      }
      request =
          RawHttp.encode(
              target.getHost(),
              target.getPort(),
              next.method(),
              next.path(),
              next.json(),
              next.headers());
      repeated = false;
      write();
      return true;
    }

    private void write() throws IOException {
      if (channel == null) {
        channel = SocketChannel.open(address); // blocking connect on loopback, then a selector
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        key = channel.register(selector, SelectionKey.OP_READ, this);
        answers.reset();
      }
      sent = System.nanoTime();
      unwritten = ByteBuffer.wrap(request);
      flush();
    }

    void flush() throws IOException {
      channel.write(unwritten);
      key.interestOps(
          unwritten.hasRemaining()
              ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
              : SelectionKey.OP_READ);
    }

    /**
     * @return false when the conversation is done
     */
    boolean read(ByteBuffer buffer) throws IOException {
      buffer.clear();
      int n;
      try {
        n = channel.read(buffer);
      } catch (IOException e) {
        n = -1; // reset by the server: as a close
      }
      if (n < 0) {
        boolean nothingYet = !answers.partial();
        closeChannel();
        if (!nothingYet || repeated) {
          throw new IOException("The server closed a connection in the middle of an answer");
        }
        repeated = true; // closed while idle, before our request reached it: one fresh try
        write();
        return true;
      }
      buffer.flip();
      answers.feed(buffer);
      ResponseParser.Parsed parsed = answers.next();
      if (parsed == null) {
        return true;
      }
      if (answers.partial()) {
        throw new IOException("The server answered more than it was asked");
      }
      long nanos = System.nanoTime() - sent;
      if (parsed.close()) {
        closeChannel();
      }
      return send(conversation.next(parsed.response(), nanos));
    }

    void closeChannel() throws IOException {
      if (channel != null) {
        key.cancel();
        channel.close();
        channel = null;
      }
    }
  }
}
