/* Minbar: small enhancements over pages that work without JavaScript. */
(function () {
  "use strict";
  var doc = document;

  // Copy link: the readonly field works alone; the button appears where the clipboard API exists.
  doc.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = doc.getElementById(button.getAttribute("data-copy"));
    var status = button.closest(".copy-link").querySelector("[role=status]");
    if (!field) return;
    field.addEventListener("focus", function () { field.select(); });
    if (!navigator.clipboard || !window.isSecureContext) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { status.textContent = button.getAttribute("data-copied"); },
        function () { field.select(); status.textContent = button.getAttribute("data-failed"); }
      );
    });
  });

  // Phones: offer the system share sheet as well.
  doc.querySelectorAll("[data-share-url]").forEach(function (button) {
    if (!navigator.share) return;
    button.closest("[hidden]") && (button.closest("[hidden]").hidden = false);
    button.addEventListener("click", function () {
      navigator.share({ title: button.getAttribute("data-share-title"), url: button.getAttribute("data-share-url") })
        .catch(function () {});
    });
  });
})();
