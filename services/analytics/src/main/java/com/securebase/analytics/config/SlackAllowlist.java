package com.securebase.analytics.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.regex.Pattern;

/**
 * The Slack URLs a schedule may name ({@code securebase.analytics.slack.allowed-url}), compiled
 * once: checked when a schedule is saved and again before each send (the setting may have narrowed
 * since).
 */
@ApplicationScoped
public class SlackAllowlist {
  private final Pattern allowed;

  @Inject
  public SlackAllowlist(AnalyticsSettings settings) {
    allowed = Pattern.compile(settings.slack().allowedUrl());
  }

  public boolean allows(String url) {
    return url != null && allowed.matcher(url).matches();
  }
}
