package com.securebase.infra;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What {@code make run} delivers to instead of the outside world, so the whole journey can be tried
 * by hand: an SMTP server that keeps every mail (GreenMail) and a webhook receiver that keeps every
 * request, both on loopback, both readable as JSON over HTTP ({@code GET /mail}, {@code GET
 * /hooks}). A webhook sent to a path under {@code /hooks/fail} is answered 503, to watch retries;
 * {@link #refuseWebhooks} makes every path fail for a while (a receiver's outage, in tests).
 */
public final class LocalReceivers implements AutoCloseable {
  private final GreenMail mail;
  private final HttpServer http;
  private final List<String> hooks = new CopyOnWriteArrayList<>();
  private volatile boolean refusing;

  private LocalReceivers(GreenMail mail, HttpServer http) {
    this.mail = mail;
    this.http = http;
  }

  public static LocalReceivers start(int smtpPort, int httpPort) {
    GreenMail mail =
        new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 64);
      LocalReceivers receivers = new LocalReceivers(mail, http);
      http.createContext("/hooks", receivers::hook);
      http.createContext("/mail", receivers::mail);
      http.start();
      return receivers;
    } catch (IOException e) {
      mail.stop();
      throw new UncheckedIOException(e);
    }
  }

  /** While {@code on}, every webhook is answered 503 (and still recorded). */
  public void refuseWebhooks(boolean on) {
    refusing = on;
  }

  public int smtpPort() {
    return mail.getSmtp().getPort();
  }

  public int httpPort() {
    return http.getAddress().getPort();
  }

  private void hook(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String path = exchange.getRequestURI().getPath();
      if ("GET".equals(exchange.getRequestMethod()) && "/hooks".equals(path)) {
        respond(exchange, 200, "[" + String.join(",", hooks) + "]");
        return;
      }
      StringBuilder headers = new StringBuilder("{");
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (headers.length() > 1) {
                  headers.append(',');
                }
                headers
                    .append(quote(name.toLowerCase(Locale.ROOT)))
                    .append(':')
                    .append(quote(String.join(", ", values)));
              });
      headers.append('}');
      boolean fail = refusing || path.startsWith("/hooks/fail");
      hooks.add(
          "{\"receivedAt\":"
              + quote(Instant.now().toString())
              + ",\"path\":"
              + quote(path)
              + ",\"answered\":"
              + (fail ? 503 : 204)
              + ",\"headers\":"
              + headers
              + ",\"body\":"
              + quote(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              + "}");
      exchange.sendResponseHeaders(fail ? 503 : 204, -1);
    }
  }

  private void mail(HttpExchange exchange) throws IOException {
    try (exchange) {
      StringJoiner messages = new StringJoiner(",", "[", "]");
      for (MimeMessage message : mail.getReceivedMessages()) {
        try {
          messages.add(
              "{\"from\":"
                  + quote(addresses(message.getFrom()))
                  + ",\"to\":"
                  + quote(addresses(message.getAllRecipients()))
                  + ",\"subject\":"
                  + quote(message.getSubject())
                  + ",\"body\":"
                  + quote(GreenMailUtil.getBody(message))
                  + "}");
        } catch (MessagingException e) {
          messages.add("{\"error\":" + quote(e.toString()) + "}");
        }
      }
      respond(exchange, 200, messages.toString());
    }
  }

  private static String addresses(Address[] addresses) {
    return addresses == null
        ? ""
        : String.join(", ", Arrays.stream(addresses).map(Address::toString).toList());
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /** A JSON string literal (this module has no JSON library, and needs none beyond this). */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  @Override
  public void close() {
    http.stop(0);
    mail.stop();
  }

  /** For {@code LocalInfraCli receivers}: runs until the process is stopped. */
  static void runUntilStopped(int smtpPort, int httpPort) throws InterruptedException {
    LocalReceivers receivers = start(smtpPort, httpPort);
    Runtime.getRuntime().addShutdownHook(new Thread(receivers::close));
    System.out.println("SMTP_PORT=" + receivers.smtpPort());
    System.out.println("RECEIVER_URL=http://127.0.0.1:" + receivers.httpPort());
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
