package com.securebase.forecasting.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The services a cost can be booked to: short codes (as a forecast answers them) with the names a
 * cost-explorer export uses for them, so an export can be imported as it is. A name outside this
 * list is refused rather than stored as a new series: a typo would otherwise split one service's
 * history in two and both halves would forecast badly.
 */
public final class CloudServices {
  /** SecureBase's own charges, fed from billing's invoices; an import cannot book to it. */
  public static final String SECUREBASE = "SecureBase";

  private static final Map<String, String> BY_NAME = new LinkedHashMap<>();
  private static final List<String> CODES;

  static {
    add(
        "EC2",
        "Amazon Elastic Compute Cloud - Compute",
        "Amazon Elastic Compute Cloud",
        "EC2 - Other",
        "EC2-Instances",
        "EC2-Other",
        "Amazon EC2");
    add("EBS", "Amazon Elastic Block Store");
    add("RDS", "Amazon Relational Database Service", "Amazon RDS");
    add("S3", "Amazon Simple Storage Service", "Amazon S3");
    add("Lambda", "AWS Lambda");
    add("DynamoDB", "Amazon DynamoDB");
    add("CloudFront", "Amazon CloudFront");
    add(
        "EKS",
        "Amazon Elastic Kubernetes Service",
        "Amazon Elastic Container Service for Kubernetes");
    add("ECS", "Amazon Elastic Container Service", "Amazon EC2 Container Service");
    add("ElastiCache", "Amazon ElastiCache");
    add("EFS", "Amazon Elastic File System");
    add("ELB", "Elastic Load Balancing", "Amazon Elastic Load Balancing");
    add("VPC", "Amazon Virtual Private Cloud", "Amazon VPC");
    add("Route53", "Amazon Route 53");
    add("CloudWatch", "AmazonCloudWatch", "Amazon CloudWatch");
    add("CloudTrail", "AWS CloudTrail");
    add("GuardDuty", "Amazon GuardDuty");
    add("KMS", "AWS Key Management Service");
    add("Redshift", "Amazon Redshift");
    add("SQS", "Amazon Simple Queue Service");
    add("SNS", "Amazon Simple Notification Service");
    add("Support", "AWS Support (Business)", "AWS Support (Enterprise)", "AWS Support (Developer)");
    add("Tax", "Tax");
    add("Other", "Others");
    add(SECUREBASE);
    CODES = BY_NAME.values().stream().distinct().toList();
  }

  private CloudServices() {}

  private static void add(String code, String... names) {
    BY_NAME.put(code.toLowerCase(Locale.ROOT), code);
    for (String name : names) {
      BY_NAME.put(name.toLowerCase(Locale.ROOT), code);
    }
  }

  /** The code of a service named by its code or its cost-explorer name, ignoring case. */
  public static Optional<String> code(String name) {
    return name == null
        ? Optional.empty()
        : Optional.ofNullable(BY_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
  }

  public static List<String> codes() {
    return CODES;
  }
}
