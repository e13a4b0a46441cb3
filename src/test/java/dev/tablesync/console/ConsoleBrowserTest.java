package dev.tablesync.console;

import static dev.tablesync.console.Console.parkByHand;
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
     * Two real conflicts of mapping disputed (conflict=park): each row edited by hand on the target
     * (the README's one SQL line), then changed on the source, then parked by a run. The operator takes
     * the source's row 1 and keeps the target's row 2 from the page; the target rows change accordingly
     * and nothing stays parked.
     */
    @Test
    void shouldResolveTwoParkedConflictsFromThePageAndChangeTheTargetRows() throws Exception {
        runAndWait("disputed");
        parkByHand("disputed", "disputed_items", 1, "one from the source", "one by hand");
        parkByHand("disputed", "disputed_items", 2, "two from the source", "two by hand");
        ChromeDriver operator = browser(ConsoleTestProfile.OPERATOR, ConsoleTestProfile.OPERATOR_PASSWORD);
        open(operator, "/console/mappings/disputed/conflicts");
        assertEquals("2", operator.findElement(By.id("parked-count")).getText());
        WebElement first = conflictOf(operator, "id=1");
        List<String> marked = first.findElements(By.cssSelector("tr:has(td.changed) td.col")).stream()
                .map(WebElement::getText).toList();
        assertTrue(marked.contains("name") && !marked.contains("id"), "name differs (and updated_at): " + marked);
        assertTrue(first.getText().contains("one from the source") && first.getText().contains("one by hand"),
                first.getText());
        screenshot(operator, "conflicts");

        resolve(operator, first, "take-source");
        wait(operator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Conflict resolved"));
        resolve(operator, conflictOf(operator, "id=2"), "keep-target");
        wait(operator).until(ExpectedConditions.presenceOfElementLocated(By.id("no-conflicts")));
        screenshot(operator, "conflicts-resolved");

        assertEquals("one from the source", Console.targetName("disputed_items", 1), "take-source wrote the source");
        assertEquals("two by hand", Console.targetName("disputed_items", 2), "keep-target kept the hand edit");
        assertEquals(0, Console.asViewer().get("/api/mappings/disputed/conflicts").jsonPath().getInt("parked"));
        open(operator, "/console/mappings/disputed");
        assertEquals("0", operator.findElement(By.id("conflicts-link")).getText(), "the mapping's parked count");
        open(operator, "/console");
        assertFalse(operator.findElement(By.cssSelector("[data-mapping='disputed']")).getText().contains("parked"),
                "no parked conflicts on the list");
    }

    /** The conflict section whose key reads {@code key}, e.g. {@code id=1}. */
    private static WebElement conflictOf(WebDriver driver, String key) {
        return driver.findElements(By.cssSelector("section.conflict")).stream()
                .filter(s -> s.findElement(By.cssSelector("h3 .mono")).getText().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no parked conflict " + key + " on the page"));
    }

    /** Clicks a conflict's resolve button and waits for the page the action answers. */
    private static void resolve(WebDriver driver, WebElement conflict, String action) {
        WebElement button = conflict.findElement(By.id(conflict.getAttribute("id").replace("conflict-", "resolve-")
                + "-" + action));
        button.click();
        wait(driver).until(ExpectedConditions.stalenessOf(button));
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
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
