/**
 * The operator console: HTML pages under {@code /console} built with Qute over the API's own resources,
 * so the users, roles, checks and problem details are the API's; page actions are form posts protected
 * by Quarkus' CSRF filter. Uses {@code api} and the packages below it; none uses it.
 */
package dev.tablesync.console;
