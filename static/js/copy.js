// Progressive enhancement: a "Copy" button for citations. Without JavaScript the citation
// stays in a read-only text box that can be selected and copied by hand.
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
  var source = document.getElementById(button.dataset.copyTarget);
  var status = button.parentElement.querySelector(".copy-status");
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.value).then(
      function () { if (status) status.textContent = "Citation copied."; },
      function () { source.select(); if (status) status.textContent = "Press Ctrl+C to copy."; }
    );
  });
});
