package com.securebase.analytics.domain;

import java.util.Locale;

/** What an export or a report run writes. */
public enum ExportFormat {
  JSON("application/json", "json"),
  CSV("text/csv; charset=UTF-8", "csv"),
  PDF("application/pdf", "pdf"),
  XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");

  public final String mediaType;
  public final String extension;

  ExportFormat(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ExportFormat of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
