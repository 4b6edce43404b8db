package com.securebase.analytics.domain;

import com.securebase.problem.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Where a scheduled report goes: an email address (the file attached), a Slack incoming webhook (a
 * summary; the URL is a secret, never shown or put in an event), or {@code webhook}: the run's
 * {@code report.delivered} event, which the webhooks service signs and sends to the tenant's
 * endpoints.
 */
// Stored in report_schedule.recipients through JsonObject.mapFrom/mapTo.
@RegisterForReflection
public record Recipient(String type, String address, String url) {
  public static final String EMAIL = "email";
  public static final String SLACK = "slack";
  public static final String WEBHOOK = "webhook";

  // Deliberately plain: one @, a dot in the domain, no spaces or angle brackets (header safety).
  private static final Pattern ADDRESS =
      Pattern.compile("^[^@\\s<>\",;]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$");

  /** What a recipient is known by in run results and events (no Slack URL). */
  public String label() {
    return EMAIL.equals(type) ? address : null;
  }

  /**
   * @param slackAllowed whether a Slack URL may be named
   * @throws ProblemException 400 naming the recipient's field at fault
   */
  public static List<Recipient> check(List<Recipient> given, Predicate<String> slackAllowed) {
    for (int i = 0; i < given.size(); i++) {
      Recipient r = given.get(i);
      String where = "recipients[" + i + "]";
      switch (r.type()) {
        case EMAIL -> {
          if (r.address() == null || !ADDRESS.matcher(r.address()).matches()) {
            throw ProblemException.invalidField(where + ".address", "must be an email address");
          }
          if (r.url() != null) {
            throw ProblemException.invalidField(where + ".url", "is for slack recipients only");
          }
        }
        case SLACK -> {
          if (r.url() == null || !slackAllowed.test(r.url())) {
            throw ProblemException.invalidField(
                where + ".url",
                "must be a Slack incoming-webhook URL (https://hooks.slack.com/services/...)");
          }
          if (r.address() != null) {
            throw ProblemException.invalidField(where + ".address", "is for email recipients only");
          }
        }
        case WEBHOOK -> {
          if (r.address() != null || r.url() != null) {
            throw ProblemException.invalidField(
                where,
                "a webhook recipient has no address or url: the tenant's endpoints receive it");
          }
        }
        default ->
            throw ProblemException.invalidField(
                where + ".type", "must be one of email, slack, webhook");
      }
    }
    List<Recipient> normal =
        given.stream()
            .map(
                r ->
                    EMAIL.equals(r.type())
                        ? new Recipient(r.type(), r.address().toLowerCase(Locale.ROOT), null)
                        : r)
            .distinct()
            .toList();
    if (normal.size() != given.size()) {
      throw ProblemException.invalidField("recipients", "must not repeat a recipient");
    }
    return normal;
  }
}
