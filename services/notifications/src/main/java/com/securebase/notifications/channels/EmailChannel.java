package com.securebase.notifications.channels;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Email over SMTP (quarkus-mailer), HTML and plain text, in the tenant's branding. Blocking: only
 * ever called from a worker thread (see the delivery worker).
 */
@ApplicationScoped
public class EmailChannel {
  @Inject Mailer mailer;

  @Location("email/notification.html")
  Template html;

  @Location("email/notification.txt")
  Template text;

  @ConfigProperty(name = "securebase.notifications.portal-url")
  String portalUrl;

  public SendResult send(Outgoing o) {
    if (o.recipientEmail() == null || o.recipientEmail().isBlank()) {
      return SendResult.giveUp("no_address", "The recipient has no email address");
    }
    String subject = "[" + o.branding().name() + "] " + o.title();
    String url = o.link() == null ? null : portalUrl + o.link();
    try {
      mailer.send(
          Mail.withHtml(
                  o.recipientEmail(),
                  subject,
                  html.data("o", o).data("url", url).data("critical", isCritical(o)).render())
              .setText(
                  text.data("o", o).data("url", url).data("critical", isCritical(o)).render()));
      return SendResult.ok();
    } catch (RuntimeException e) {
      return SendResult.retry("smtp_error", rootMessage(e));
    }
  }

  private static boolean isCritical(Outgoing o) {
    return "critical".equals(o.severity());
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
