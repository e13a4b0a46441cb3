package dev.tablesync.api;

/**
 * A request the API refuses itself (bad parameter, shutting down), turned into a problem+json
 * response by {@link ProblemMappers}.
 */
public class ApiProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    public ApiProblemException(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = Problem.type(slug);
        this.title = title;
    }

    /** 400: a parameter is malformed or out of range; the detail names it and the accepted values. */
    public static ApiProblemException badParameter(String detail) {
        return new ApiProblemException(400, "invalid-parameter", "Invalid parameter", detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }
}
