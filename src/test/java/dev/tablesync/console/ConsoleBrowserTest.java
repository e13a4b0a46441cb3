package dev.tablesync.console;

import static dev.tablesync.console.Console.paused;
import static dev.tablesync.console.Console.runAndWait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The console in a real browser: Debian's chromium, driven headless through Debian's chromedriver
 * (both given by path, so Selenium Manager never looks for or downloads a driver or a browser). Each
 * page visited is saved as a screenshot under {@code target/console-screenshots/}.
 */
@QuarkusTest
@TestProfile(ConsoleTestProfile.class)
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<ChromeDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void needsChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: Debian's chromium and chromium-driver are not installed"
                        + " (apt-get install -y chromium chromium-driver; .ci/run installs them)");
        // Selenium Manager runs only when the driver or the browser is not given; both are. Should it run
        // anyway, it gets SE_* system properties as its environment: offline, it downloads nothing.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
        browsers.clear();
    }

    @Test
    void shouldShowAViewerEveryMappingWithItsLagAndNoActions() throws IOException {
        runAndWait("orders");
        runAndWait("orders");
        ChromeDriver viewer = browser(ConsoleTestProfile.VIEWER, ConsoleTestProfile.VIEWER_PASSWORD);

        open(viewer, "/console");
        WebElement orders = viewer.findElement(By.cssSelector("tr[data-mapping='orders']"));
        assertTrue(orders.findElement(By.className("lag-value")).getText().matches("\\d+ s"),
                "lag in seconds: " + orders.getText());
        assertFalse(orders.findElements(By.cssSelector("svg.spark polyline")).isEmpty(), "lag sparkline drawn");
        for (String id : ConsoleTestProfile.MAPPINGS) {
            assertEquals(1, viewer.findElements(By.cssSelector("tr[data-mapping='" + id + "']")).size(), id);
        }
        screenshot(viewer, "mappings");

        orders.findElement(By.linkText("orders")).click();
        wait(viewer).until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
        assertTrue(viewer.findElements(By.id("action-pause")).isEmpty(), "no actions for a viewer");
        assertTrue(viewer.getPageSource().contains("actions need role operator"));
        screenshot(viewer, "mapping-viewer");
    }

    @Test
    void shouldLetAnOperatorPauseAndResumeAMappingFromItsPage() throws IOException {
        runAndWait("customers");
        ChromeDriver operator = browser(ConsoleTestProfile.OPERATOR, ConsoleTestProfile.OPERATOR_PASSWORD);
        open(operator, "/console/mappings/customers");
        assertEquals("no", operator.findElement(By.id("paused")).getText());

        operator.findElement(By.id("action-pause")).click();
        wait(operator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Paused"));
        assertEquals("yes", operator.findElement(By.id("paused")).getText());
        assertTrue(paused("customers"), "paused in the service");
        screenshot(operator, "mapping-paused");

        operator.findElement(By.id("action-resume")).click();
        wait(operator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Resumed"));
        assertEquals("no", operator.findElement(By.id("paused")).getText());
        assertFalse(paused("customers"), "resumed in the service");
        screenshot(operator, "mapping-operator");
    }

    /**
     * The conflicts view's layout and its resolve buttons, over two parked rows handed to the page
     * by a stand-in for the conflicts API. Once conflict=park exists, park two real rows instead
     * and check that the target rows change after the clicks.
     */
    @Test
    void shouldShowParkedConflictsSideBySideAndResolveThemFromThePage() throws IOException {
        List<String> resolved = new ArrayList<>();
        QuarkusMock.installMockForType(new ConsoleConflicts() {
            @Override
            public Optional<ParkedConflicts> parked(String mappingId) {
                return Optional.of(twoParkedRows(mappingId));
            }

            @Override
            public void resolve(String mappingId, OptionalLong conflictId, String action) {
                resolved.add(mappingId + " " + conflictId + " " + action);
            }
        }, ConsoleConflicts.class);
        ChromeDriver operator = browser(ConsoleTestProfile.OPERATOR, ConsoleTestProfile.OPERATOR_PASSWORD);
        open(operator, "/console/mappings/orders/conflicts");
        WebElement first = operator.findElement(By.id("conflict-17"));
        assertEquals(2, first.findElements(By.cssSelector("td.changed")).size(), "name differs, on both sides");
        assertFalse(first.findElements(By.cssSelector("td.hex")).isEmpty(), "binary shown as hex");
        assertFalse(first.findElements(By.tagName("details")).isEmpty(), "long value folded");
        screenshot(operator, "conflicts");

        operator.findElement(By.id("resolve-17-take-source")).click();
        wait(operator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Conflict resolved"));
        operator.findElement(By.id("resolve-all-keep-target")).click();
        wait(operator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "All parked"));
        assertEquals(List.of("orders OptionalLong[17] take-source", "orders OptionalLong.empty keep-target"),
                resolved);
    }

    static ParkedConflicts twoParkedRows(String mapping) {
        String longText = "a long description that goes on and on ".repeat(4);
        return new ParkedConflicts(mapping, 2, 10_000, List.of("id", "name", "note", "blob"), List.of(
                new ParkedConflicts.Conflict(17, Map.of("id", "5"), "2026-12-07T18:00:00Z",
                        "incremental(updated_at=2026-12-07 18:00:00.000000, id=5)",
                        List.of(text("5"), text("from the source"), text(longText), hex("00ff10")),
                        List.of(text("5"), text("edited on the target"), text(longText), hex("00ff10"))),
                new ParkedConflicts.Conflict(18, Map.of("id", "6"), "2026-12-07T18:00:01Z",
                        "incremental(updated_at=2026-12-07 18:00:01.000000, id=6)",
                        java.util.Arrays.asList(text("6"), text("six"), null, hex("cafe")), null)));
    }

    private static ParkedConflicts.Cell text(String value) {
        return new ParkedConflicts.Cell(value, null);
    }

    private static ParkedConflicts.Cell hex(String value) {
        return new ParkedConflicts.Cell(null, value);
    }

    /**
     * A headless chromium that sends {@code user}'s HTTP Basic credentials with every request (set
     * through the DevTools protocol, so no login dialog and no credentials in URLs).
     */
    private ChromeDriver browser(String user, String password) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1360,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Authorization", "Basic " + basic)));
        return driver;
    }

    private static void open(WebDriver driver, String path) {
        driver.get("http://localhost:" + RestAssured.port + path);
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
    }

    private static WebDriverWait wait(WebDriver driver) {
        return new WebDriverWait(driver, WAIT);
    }

    /** Saves the page as {@code target/console-screenshots/console-<name>.png}, the whole page high. */
    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1360,
                "height", Math.max(600, height), "deviceScaleFactor", 1, "mobile", false));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("console-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
}
