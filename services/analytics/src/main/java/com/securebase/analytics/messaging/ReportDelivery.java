package com.securebase.analytics.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.analytics.config.SlackAllowlist;
import com.securebase.analytics.domain.Recipient;
import com.securebase.events.EventJson;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Sends a generated report to one recipient. Blocking (SMTP, HTTP): worker threads only. An
 * outcome's message never holds a Slack URL: the URL is the secret.
 */
@ApplicationScoped
public class ReportDelivery {
  /** A finished report file and what it says. */
  public record Output(
      byte[] bytes,
      String fileName,
      String mediaType,
      int rowCount,
      String title,
      String summary) {}

  /** null code: delivered. */
  public record Outcome(String code, String message) {
    static final Outcome DELIVERED = new Outcome(null, null);

    public boolean delivered() {
      return code == null;
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Inject Mailer mailer;
  @Inject AnalyticsSettings settings;
  @Inject SlackAllowlist allowlist;

  public Outcome deliver(Recipient to, Output out) {
    return switch (to.type()) {
      case Recipient.EMAIL -> email(to.address(), out);
      case Recipient.SLACK -> slack(to.url(), out);
      default -> Outcome.DELIVERED; // webhook: the report.delivered event is the delivery
    };
  }

  private Outcome email(String address, Output out) {
    try {
      mailer.send(
          Mail.withText(address, out.title(), out.summary() + "\n\nThe report is attached.")
              .addAttachment(out.fileName(), out.bytes(), out.mediaType()));
      return Outcome.DELIVERED;
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new Outcome(
          "smtp-error", cut(root.getClass().getSimpleName() + ": " + root.getMessage()));
    }
  }

  /** An incoming webhook takes text, not files: the summary goes, the file is in the email. */
  private Outcome slack(String url, Output out) {
    if (!allowlist.allows(url)) {
      return new Outcome(
          "slack-url-refused", "The Slack URL is not an allowed incoming-webhook URL");
    }
    String body;
    try {
      body =
          EventJson.MAPPER.writeValueAsString(
              Map.of("text", "*" + mrkdwn(out.title()) + "*\n" + mrkdwn(out.summary())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      HttpResponse<Void> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(settings.slack().timeout())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return answer.statusCode() / 100 == 2
          ? Outcome.DELIVERED
          : new Outcome(
              "slack-http-" + answer.statusCode(), "Slack answered HTTP " + answer.statusCode());
    } catch (IOException e) {
      return new Outcome(
          "slack-unreachable", "Slack could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome("interrupted", "The send was interrupted");
    }
  }

  private static String mrkdwn(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500);
  }
}
