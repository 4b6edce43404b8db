package com.securebase.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class LocalReceiversTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void keepsEveryMailAndWebhookAndShowsThemAsJson() throws Exception {
    try (LocalReceivers receivers = LocalReceivers.start(0, 0)) {
      GreenMailUtil.sendTextEmail(
          "owner@demo.example.com",
          "notifications@securebase.dev",
          "Ticket \"opened\"",
          "line one\nline two",
          new ServerSetup(receivers.smtpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      String base = "http://127.0.0.1:" + receivers.httpPort();
      assertThat(post(base + "/hooks/demo", "{\"type\":\"t\"}")).isEqualTo(204);
      assertThat(post(base + "/hooks/fail", "{}")).isEqualTo(503);

      String mail = get(base + "/mail");
      assertThat(mail)
          .contains("\"to\":\"owner@demo.example.com\"")
          .contains("\"subject\":\"Ticket \\\"opened\\\"\"")
          .contains("line one");
      String hooks = get(base + "/hooks");
      assertThat(hooks)
          .contains("\"path\":\"/hooks/demo\",\"answered\":204")
          .contains("\"webhook-id\":\"msg_1\"")
          .contains("\"body\":\"{\\\"type\\\":\\\"t\\\"}\"")
          .contains("\"path\":\"/hooks/fail\",\"answered\":503");
    }
  }

  private int post(String url, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("webhook-id", "msg_1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private String get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
