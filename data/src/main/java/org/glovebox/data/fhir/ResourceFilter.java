package org.glovebox.data.fhir;

/**
 * Decides from a resource's raw JSON text, before the expensive HAPI FHIR parse, whether the resource can matter to
 * the reader's consumer. It must never reject a resource that could matter; it may accept ones that do not. Rejected
 * resources are still counted as read and still checked for truncation and nesting depth, but not parsed.
 */
@FunctionalInterface
public interface ResourceFilter {

    /** Accepts everything: every resource is parsed. */
    ResourceFilter ALL = (type, json) -> true;

    /**
     * @param resourceType the resource's type, read from the text
     * @param json         the resource's JSON text
     * @return false only when the resource certainly does not matter
     */
    boolean mayMatter(String resourceType, String json);
}
