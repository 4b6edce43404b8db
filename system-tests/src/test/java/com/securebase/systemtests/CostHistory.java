package com.securebase.systemtests;

import java.time.YearMonth;
import java.time.ZoneOffset;

/** Cost history through the forecasting API, enough for a monthly forecast (twelve months). */
final class CostHistory {
  static final int MONTHS = 14;

  private CostHistory() {}

  /** Posts the fourteen months before this one of EC2 costs, 1,000 USD rising by 10 a month. */
  static void upload(ApiCaller caller) throws Exception {
    StringBuilder costs = new StringBuilder();
    YearMonth first = YearMonth.now(ZoneOffset.UTC).minusMonths(MONTHS);
    for (int i = 0; i < MONTHS; i++) {
      costs
          .append(i == 0 ? "" : ",")
          .append("{\"date\":\"")
          .append(first.plusMonths(i).atDay(1))
          .append("\",\"service\":\"EC2\",\"amount\":\"")
          .append(1000 + 10 * i)
          .append(".00\",\"currency\":\"USD\"}");
    }
    caller.call(
        "POST",
        "/v1/forecasts/costs",
        "{\"granularity\":\"month\",\"records\":[" + costs + "]}",
        200);
  }
}
