package com.securebase.notifications.channels;

/**
 * How a send went. A permanent failure (no address, webhook gone) is not retried.
 *
 * @param code a stable error code ({@code smtp_error}, {@code http_500}, {@code timeout}, …)
 * @param message what went wrong, never containing a secret such as the webhook URL
 */
public record SendResult(boolean sent, boolean permanent, String code, String message) {
  public static SendResult ok() {
    return new SendResult(true, false, null, null);
  }

  public static SendResult retry(String code, String message) {
    return new SendResult(false, false, code, message);
  }

  public static SendResult giveUp(String code, String message) {
    return new SendResult(false, true, code, message);
  }
}
