package com.securebase.notifications.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.securebase.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A Slack incoming webhook post (mrkdwn text, tenant-branded). Blocking: only ever called from a
 * worker thread. Slack answers 404/410 for a removed or archived webhook: that is permanent; 429
 * and 5xx are retried. Errors never include the URL (it is the secret).
 */
@ApplicationScoped
public class SlackChannel {
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @ConfigProperty(name = "securebase.notifications.slack.timeout", defaultValue = "10s")
  Duration timeout;

  @ConfigProperty(name = "securebase.notifications.portal-url")
  String portalUrl;

  public SendResult send(Outgoing o) {
    if (o.slackWebhookUrl() == null) {
      return SendResult.giveUp("no_webhook", "The tenant has no Slack webhook configured");
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(o.slackWebhookUrl()))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(payload(o)))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return SendResult.ok();
      }
      String message = "Slack answered " + status + ": " + cut(response.body(), 200);
      return status == 404 || status == 410
          ? SendResult.giveUp("http_" + status, message)
          : SendResult.retry("http_" + status, message);
    } catch (HttpTimeoutException e) {
      return SendResult.retry("timeout", "Slack did not answer within " + timeout);
    } catch (IOException e) {
      return SendResult.retry("connect_error", e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendResult.retry("interrupted", "The send was interrupted");
    }
  }

  String payload(Outgoing o) {
    String marker =
        switch (o.severity()) {
          case "critical" -> ":rotating_light: ";
          case "warning" -> ":warning: ";
          default -> "";
        };
    StringBuilder text =
        new StringBuilder()
            .append(marker)
            .append('*')
            .append(escape(o.title()))
            .append("*\n")
            .append(escape(o.body()));
    if (o.link() != null) {
      text.append("\n<")
          .append(portalUrl)
          .append(o.link())
          .append("|Open in ")
          .append(escape(o.branding().name()))
          .append('>');
    }
    text.append("\n_").append(escape(o.branding().name())).append(" · SecureBase_");
    try {
      return EventJson.MAPPER.writeValueAsString(
          Map.of("text", text.toString(), "username", o.branding().name()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Slack's mrkdwn control characters. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String s, int max) {
    return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
  }
}
