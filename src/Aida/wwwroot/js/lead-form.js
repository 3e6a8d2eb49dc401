// Optional helper for Aida web forms embedded in other sites: fills the snippet's hidden attribution
// fields (utm_… parameters and the landing page from this page's address, and the page's referrer),
// which a plain form cannot know. The form works without it.
(function () {
  "use strict";
  function fill() {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-aida-form]").forEach(function (form) {
      ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (name) {
        var input = form.querySelector("input[type=hidden][name=" + name + "]");
        if (input && !input.value && params.get(name)) {
          input.value = params.get(name);
        }
      });
      var landing = form.querySelector("input[type=hidden][name=landing_page]");
      if (landing && !landing.value) {
        landing.value = window.location.href;
      }
      var referrer = form.querySelector("input[type=hidden][name=referrer]");
      if (referrer && !referrer.value && document.referrer) {
        referrer.value = document.referrer;
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
})();
