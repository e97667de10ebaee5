package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.bank.account.AccountEvent;
import io.streamfold.command.CommandService;
import io.streamfold.devstack.SharedStack;
import io.streamfold.service.http.Json;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based hostile input over real HTTP against a real command service: every generated
 * request is invalid by construction and must be answered with a 4xx problem+json, never a 5xx; the
 * target account must never change and no other stream may appear.
 */
class HostileInputIT {
  static final String TARGET = "hostile-target";
  static final List<String> ACTIONS = List.of("deposit", "withdraw", "open", "close");
  static Map<String, String> env;
  static CommandService service;
  static String api;

  @BeforeContainer
  static void start() {
    env = Instances.environment("hostile");
    service = Instances.start(env);
    await().atMost(Duration.ofSeconds(90)).until(service::isReady);
    api = Instances.url(service) + "/api/v1/accounts/";
    Http.Response opened =
        Http.post(
            api + TARGET + "/open",
            "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":\"1000.00\"}");
    assertThat(opened.status()).isEqualTo(201);
  }

  @AfterContainer
  static void verifyNothingWasWritten() {
    try {
      List<EventLog.Entry<AccountEvent>> log =
          EventLog.readAccounts(
              SharedStack.broker().bootstrapServers(),
              SharedStack.registry().url(),
              env.get("TOPIC_PREFIX") + "accounts.events");
      assertThat(log)
          .as("only the set-up's event")
          .singleElement()
          .satisfies(e -> assertThat(e.key()).isEqualTo(TARGET));
      assertThat(
              EventLog.readRaw(
                  SharedStack.broker().bootstrapServers(),
                  env.get("TOPIC_PREFIX") + "transfers.events"))
          .as("no transfer recorded")
          .isEmpty();
      System.out.printf(
          "HostileInputIT: %d hostile requests, all 4xx problem+json, %d event(s) in the log%n",
          Hostile.tried(), log.size());
    } finally {
      service.close();
    }
  }

  /** Sends, checks the refusal, and checks the target account is still at version 1. */
  static void refused(String input, String method, String url, byte[] body, String... headers) {
    Hostile.assertRefused(Http.request(method, url, body, headers), input);
    Http.Response target = Http.get(api + TARGET);
    assertThat(target.header("ETag")).as("target after %s", input).isEqualTo("\"1\"");
  }

  static void refusedJson(String input, String action, String body, String... extraHeaders) {
    String[] headers = new String[extraHeaders.length + 2];
    headers[0] = "Content-Type";
    headers[1] = "application/json";
    System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
    refused(
        input, "POST", api + TARGET + "/" + action, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  @Property(tries = 200)
  void badAmountsAreRefused(
      @ForAll("amountActions") String action, @ForAll("badAmounts") String amount) {
    refusedJson(amount, action, "{\"amount\":" + amount + "}");
  }

  @Property(tries = 100)
  void badOpeningsAreRefused(@ForAll("badOpenings") String body) {
    refused(
        body,
        "POST",
        api + "new-account/open",
        body.getBytes(StandardCharsets.UTF_8),
        "Content-Type",
        "application/json");
  }

  @Property(tries = 150)
  void malformedJsonIsRefused(
      @ForAll("actions") String action, @ForAll("malformedJson") String body) {
    refusedJson(body, action, body);
  }

  @Property(tries = 150)
  void unexpectedJsonIsRefused(
      @ForAll("amountActions") String action, @ForAll("unexpectedJson") String body) {
    refusedJson(body, action, body);
  }

  @Property(tries = 150)
  void badIdsAreRefused(@ForAll("badIds") String id) {
    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    refused(
        "id " + id,
        "POST",
        api + encoded + "/open",
        "{\"owner\":\"Eve\",\"currency\":\"EUR\"}".getBytes(StandardCharsets.UTF_8),
        "Content-Type",
        "application/json");
  }

  @Property(tries = 100)
  void wrongContentTypesAreRefused(@ForAll("contentTypes") String contentType) {
    refused(
        contentType,
        "POST",
        api + TARGET + "/deposit",
        "{\"amount\":\"1.00\"}".getBytes(StandardCharsets.UTF_8),
        "Content-Type",
        contentType);
  }

  @Property(tries = 150)
  void badPreconditionHeadersAreRefused(
      @ForAll("preconditionHeaders") String header, @ForAll("headerValues") String value) {
    net.jqwik.api.Assume.that(!validHeader(header, value));
    refusedJson(header + ": " + value, "deposit", "{\"amount\":\"1.00\"}", header, value);
  }

  @Property(tries = 150)
  void badTransfersAreRefused(@ForAll("badTransfers") String body) {
    refused(
        body,
        "POST",
        Instances.url(service) + "/api/v1/transfers/hostile-transfer/request",
        body.getBytes(StandardCharsets.UTF_8),
        "Content-Type",
        "application/json");
  }

  /** Values the service rightly accepts: any visible-ASCII key; {@code *}; a strong version tag. */
  static boolean validHeader(String header, String value) {
    String trimmed = value.trim();
    return switch (header) {
      case "Idempotency-Key" -> value.matches("[\\x21-\\x7E]{1,128}");
      case "If-None-Match" -> trimmed.equals("*");
      default -> trimmed.equals("*") || trimmed.matches("\"(0|[1-9][0-9]{0,17})\"");
    };
  }

  /**
   * A body over the limit is read to its end before the 413 leaves (up to a bound), so the client,
   * still writing it, never meets a reset instead of its answer: written whole onto a raw socket
   * before anything is read back, the 413 arrives, and the same connection then serves the next
   * request. Undrained, Jetty closes the connection behind the 413 and the second request fails.
   */
  @net.jqwik.api.Example
  void aRefusedHugeBodyIsDrainedAndTheConnectionServesOn() throws Exception {
    java.net.URI uri = java.net.URI.create(api);
    byte[] body = new byte[3 * 64 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    body[0] = '{';
    body[body.length - 1] = '}';
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      java.io.OutputStream out = socket.getOutputStream();
      java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
      out.write(
          ("POST "
                  + uri.getPath()
                  + TARGET
                  + "/deposit HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 413");
      out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in))
          .as("the same connection, after the 413")
          .startsWith("HTTP/1.1 200");
    }
  }

  /** The status line and headers of one response, its body (by Content-Length) read and dropped. */
  private static String readResponse(java.io.DataInputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        throw new java.io.EOFException("Connection closed after: " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (length.find()) {
      in.readFully(new byte[Integer.parseInt(length.group(1))]);
    }
    return head.toString();
  }

  @Property(tries = 15)
  void hugeBodiesAreRefused(@ForAll("hugeSizes") int size) {
    byte[] body = new byte[size];
    java.util.Arrays.fill(body, (byte) ' ');
    body[0] = '{';
    body[size - 1] = '}';
    refused(
        size + " bytes",
        "POST",
        api + TARGET + "/deposit",
        body,
        "Content-Type",
        "application/json");
  }

  @Property(tries = 60)
  void unknownRoutesAndMethodsAreRefused(
      @ForAll("methods") String method, @ForAll("paths") String path) {
    refused(method + " " + path, method, Instances.url(service) + path, null);
  }

  // ---- generators -------------------------------------------------------------------------

  @Provide
  Arbitrary<String> amountActions() {
    return Arbitraries.of("deposit", "withdraw");
  }

  @Provide
  Arbitrary<String> actions() {
    return Arbitraries.of(ACTIONS);
  }

  @Provide
  Arbitrary<String> badAmounts() {
    // more decimals than the target's EUR has (422), or than any currency has (400); "0.010" is
    // 0.01 and fine
    Arbitrary<String> tooManyDecimals =
        Arbitraries.bigDecimals()
            .between(new BigDecimal("0.001"), new BigDecimal("1000000"))
            .ofScale(3)
            .filter(d -> d.stripTrailingZeros().scale() == 3)
            .map(d -> Hostile.quoted(d.toPlainString()));
    Arbitrary<String> beyondAnyCurrency =
        Arbitraries.bigDecimals()
            .between(new BigDecimal("0.00001"), new BigDecimal("1000000"))
            .ofScale(5)
            .filter(d -> d.stripTrailingZeros().scale() == 5)
            .map(d -> Hostile.quoted(d.toPlainString()));
    Arbitrary<String> notPositive =
        Arbitraries.bigDecimals()
            .between(new BigDecimal("-1000000"), BigDecimal.ZERO)
            .ofScale(2)
            .map(d -> Hostile.quoted(d.toPlainString()));
    Arbitrary<String> huge =
        Arbitraries.strings()
            .numeric()
            .ofMinLength(16)
            .ofMaxLength(400)
            .map(digits -> Hostile.quoted("9" + digits + ".00"));
    Arbitrary<String> oddFormats =
        Arbitraries.of(
                "1e3",
                "1E2",
                "+1.00",
                ".5",
                "1.",
                "0x10",
                "NaN",
                "Infinity",
                "1,00",
                " 1.00",
                "1.00 ",
                "\u0661\u0662",
                "01.00",
                "1_000",
                "",
                "\u00a01",
                "1.0\u0000")
            .map(Hostile::quoted);
    Arbitrary<String> wrongTypes =
        Arbitraries.of(
            "1.5",
            "100",
            "1e400",
            "-3",
            "true",
            "null",
            "[]",
            "{}",
            "[\"1.00\"]",
            "{\"v\":1}",
            "123456789012345678901234567890");
    Arbitrary<String> randomText =
        Arbitraries.strings()
            .ofMaxLength(40)
            .filter(s -> !s.matches("[0-9]{1,16}(\\.[0-9]{1,4})?"))
            .map(Hostile::quoted);
    return Arbitraries.oneOf(
        tooManyDecimals, beyondAnyCurrency, notPositive, huge, oddFormats, wrongTypes, randomText);
  }

  @Provide
  Arbitrary<String> badOpenings() {
    Arbitrary<String> owners =
        Arbitraries.oneOf(
            Arbitraries.of("null", "1", "[]", "{}", "\"\"", "true"),
            Arbitraries.strings().ofMinLength(201).ofMaxLength(2000).map(Hostile::quoted));
    Arbitrary<String> currencies =
        Arbitraries.oneOf(
            Arbitraries.of("\"eur\"", "\"EURO\"", "\"XYZ\"", "\"\"", "1", "null", "\"E\u00dcR\""),
            Arbitraries.strings()
                .ofMaxLength(10)
                .filter(s -> !s.matches("[A-Z]{3}"))
                .map(Hostile::quoted));
    Arbitrary<String> badOwner = owners.map(o -> "{\"owner\":" + o + ",\"currency\":\"EUR\"}");
    Arbitrary<String> badCurrency =
        currencies.map(c -> "{\"owner\":\"Ada\",\"currency\":" + c + "}");
    Arbitrary<String> badDeposit =
        badAmounts()
            .map(a -> "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"initialDeposit\":" + a + "}")
            .filter(
                b ->
                    !b.contains("\"initialDeposit\":null")
                        && !b.contains("\"0.00\"")
                        && !b.contains("\"-0.00\""));
    Arbitrary<String> extraField =
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(f -> !List.of("owner", "currency", "initialDeposit").contains(f))
            .map(f -> "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"" + f + "\":1}");
    return Arbitraries.oneOf(badOwner, badCurrency, badDeposit, extraField);
  }

  /**
   * Transfer requests refused before anything is recorded: the same account twice, bad amounts
   * (over-precise for EUR, beyond any currency, not positive, huge, not a decimal string), bad
   * account ids, bad currencies, accounts that do not exist or hold another currency (refused at
   * the request by looking them up), missing or unknown fields, malformed JSON.
   */
  @Provide
  Arbitrary<String> badTransfers() {
    Arbitrary<String> sameAccount =
        Arbitraries.of(TARGET, "other-account")
            .map(id -> transfer(Hostile.quoted(id), Hostile.quoted(id), "\"1.00\"", "\"EUR\""));
    Arbitrary<String> badAmount =
        badAmounts().map(a -> transfer("\"" + TARGET + "\"", "\"b\"", a, "\"EUR\""));
    Arbitrary<String> badFrom =
        badIds().map(id -> transfer(Hostile.quoted(id), "\"b\"", "\"1.00\"", "\"EUR\""));
    Arbitrary<String> badTo =
        badIds()
            .map(id -> transfer("\"" + TARGET + "\"", Hostile.quoted(id), "\"1.00\"", "\"EUR\""));
    Arbitrary<String> badCurrency =
        Arbitraries.of("\"EURO\"", "\"eur\"", "\"XYZ\"", "\"\"", "1", "null", "[\"EUR\"]")
            .map(c -> transfer("\"" + TARGET + "\"", "\"b\"", "\"1.00\"", c));
    Arbitrary<String> unknownAccount =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(name -> Hostile.quoted("nobody-" + name))
            .flatMap(
                id ->
                    Arbitraries.of(
                        transfer("\"" + TARGET + "\"", id, "\"1.00\"", "\"EUR\""),
                        transfer(id, "\"" + TARGET + "\"", "\"1.00\"", "\"EUR\"")));
    Arbitrary<String> otherCurrency =
        Arbitraries.of("\"USD\"", "\"JPY\"", "\"CHF\"")
            .map(c -> transfer("\"" + TARGET + "\"", "\"b\"", "\"1\"", c));
    Arbitrary<String> incomplete =
        Arbitraries.of(
            "{}",
            "{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1.00\"}",
            "{\"from\":\"a\",\"amount\":\"1.00\",\"currency\":\"EUR\"}",
            "{\"to\":\"b\",\"amount\":\"1.00\",\"currency\":\"EUR\"}",
            "{\"from\":\"a\",\"to\":\"b\",\"currency\":\"EUR\"}",
            "{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1.00\",\"currency\":\"EUR\",\"x\":1}");
    return Arbitraries.oneOf(
        sameAccount,
        badAmount,
        badFrom,
        badTo,
        badCurrency,
        unknownAccount,
        otherCurrency,
        incomplete,
        malformedJson());
  }

  private static String transfer(String from, String to, String amount, String currency) {
    return "{\"from\":"
        + from
        + ",\"to\":"
        + to
        + ",\"amount\":"
        + amount
        + ",\"currency\":"
        + currency
        + "}";
  }

  @Provide
  Arbitrary<String> malformedJson() {
    String valid = "{\"amount\":\"1.00\",\"owner\":\"Ada\",\"currency\":\"EUR\"}";
    Arbitrary<String> truncated =
        Arbitraries.integers().between(1, valid.length() - 1).map(n -> valid.substring(0, n));
    Arbitrary<String> corrupted =
        Combinators.combine(
                Arbitraries.integers().between(0, valid.length() - 1),
                Arbitraries.chars()
                    .with('{', '}', '"', ',', ':', '[', ']', '\\', 'x', '\u0000', '\u2028'))
            .as((at, c) -> valid.substring(0, at) + c + valid.substring(at));
    Arbitrary<String> garbage = Arbitraries.strings().ofMinLength(1).ofMaxLength(200);
    return Arbitraries.oneOf(truncated, corrupted, garbage).filter(HostileInputIT::notJson);
  }

  @Provide
  Arbitrary<String> unexpectedJson() {
    Arbitrary<String> scalars =
        Arbitraries.oneOf(
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.strings().ofMaxLength(20).map(Hostile::quoted),
            Arbitraries.of("true", "false", "null", "[]", "{}", "[{\"amount\":\"1.00\"}]"));
    Arbitrary<String> objects =
        Combinators.combine(
                Arbitraries.strings()
                    .ofMinLength(1)
                    .ofMaxLength(12)
                    .filter(k -> !k.equals("amount")),
                scalars)
            .as((k, v) -> "{" + Hostile.quoted(k) + ":" + v + "}");
    Arbitrary<String> amountPlusExtra =
        Combinators.combine(
                Arbitraries.strings()
                    .alpha()
                    .ofMinLength(1)
                    .ofMaxLength(12)
                    .filter(k -> !k.equals("amount")),
                scalars)
            .as((k, v) -> "{\"amount\":\"1.00\"," + Hostile.quoted(k) + ":" + v + "}");
    Arbitrary<String> deep =
        Arbitraries.integers().between(100, 5000).map(n -> "[".repeat(n) + "]".repeat(n));
    return Arbitraries.oneOf(scalars, objects, amountPlusExtra, deep);
  }

  @Provide
  Arbitrary<String> badIds() {
    Arbitrary<String> overlong =
        Arbitraries.strings().alpha().numeric().ofMinLength(65).ofMaxLength(400);
    Arbitrary<String> unicode =
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(40)
            .filter(s -> !s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"));
    Arbitrary<String> tricky =
        Arbitraries.of(
            ".",
            "..",
            "-start",
            "_x",
            "a b",
            "a/b",
            "a%2Fb",
            "a\\b",
            "\u00e9t\u00e9",
            "\ud83d\ude00",
            "a\u0000b",
            "a?b",
            "a#b");
    return Arbitraries.oneOf(overlong, unicode, tricky);
  }

  @Provide
  Arbitrary<String> contentTypes() {
    Arbitrary<String> known =
        Arbitraries.of(
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "json",
            "application/*",
            "text/json",
            "application/octet-stream",
            "application/problem+json",
            "*/*");
    Arbitrary<String> random =
        Arbitraries.strings()
            .withCharRange('!', '~')
            .ofMinLength(1)
            .ofMaxLength(30)
            .filter(s -> !s.toLowerCase().matches("application/json\\s*(;.*)?"));
    return Arbitraries.oneOf(known, random);
  }

  @Provide
  Arbitrary<String> preconditionHeaders() {
    return Arbitraries.of("If-Match", "If-None-Match", "Idempotency-Key");
  }

  @Provide
  Arbitrary<String> headerValues() {
    Arbitrary<String> etagLike =
        Arbitraries.of(
            "W/\"1\"",
            "\"abc\"",
            "1",
            "\"-1\"",
            "\"\"",
            "\"1\", \"2\"",
            "\"01\"",
            "\"99999999999999999999\"",
            "\"1",
            "1\"",
            "**",
            "\"1.0\"");
    Arbitrary<String> random =
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(129).ofMaxLength(300);
    Arbitrary<String> spaced =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .ofMinLength(2)
            .ofMaxLength(40)
            .filter(s -> s.trim().contains(" "));
    return Arbitraries.oneOf(etagLike, random, spaced);
  }

  @Provide
  Arbitrary<Integer> hugeSizes() {
    return Arbitraries.integers().between(64 * 1024 + 1, 2 * 1024 * 1024);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("PUT", "DELETE", "PATCH", "POST", "GET", "OPTIONS");
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(
        "/api/v1/accounts/" + TARGET + "/explode",
        "/api/v1/accounts/" + TARGET + "/deposit/more",
        "/api/v1/nothing",
        "/api/v2/accounts/x",
        "/api/v1/accounts/",
        "/api/v1/accounts/" + TARGET + "/%2e%2e/open");
  }

  static boolean notJson(String text) {
    try {
      Json.mapper().readTree(text);
      return false;
    } catch (Exception e) {
      return true;
    }
  }
}
