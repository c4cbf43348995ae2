// Signs without a page reload. The form works the same without this script.
(function () {
  "use strict";
  function showErrors(form, errors) {
    form.querySelectorAll(".field-error").forEach(function (element) {
      element.hidden = true;
      element.textContent = "";
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
    });
    var summary = form.querySelector("[data-error-summary]");
    var list = summary.querySelector("ul");
    list.textContent = "";
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      var message = form.querySelector("#id_" + name + "_error");
      if (!input || !message) return;
      message.textContent = errors[name].join(" ");
      message.hidden = false;
      input.setAttribute("aria-invalid", "true");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(message.id) < 0) described.push(message.id);
      input.setAttribute("aria-describedby", described.join(" "));
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + input.id;
      link.textContent = message.textContent;
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.hidden = !list.children.length;
    if (!summary.hidden) summary.focus();
  }
  // A thank-you is announced politely; a refusal (closed, too many, send again) is an
  // alert, and looks like one.
  function showStatus(status, message, refused) {
    status.classList.toggle("form-refusal", refused);
    status.setAttribute("role", refused ? "alert" : "status");
    status.setAttribute("aria-live", refused ? "assertive" : "polite");
    status.textContent = message;
    status.focus();
  }
  function submit(event) {
    var form = event.target;
    var status = form.querySelector("[data-form-status]");
    var button = form.querySelector("button[type=submit]");
    event.preventDefault();
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "omit",
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        button.disabled = false;
        if (result.status === 400 && result.body.errors) {
          showErrors(form, result.body.errors);
          return;
        }
        showErrors(form, {});
        var accepted = result.status >= 200 && result.status < 300;
        showStatus(status, result.body.message, !accepted);
        if (result.body.status === "resubmit" && result.body.rendered_at) {
          // Keep what the visitor typed; only the render time is new, so one more send counts.
          form.querySelector('[name="rendered_at"]').value = result.body.rendered_at;
        }
        if (accepted) {
          form.querySelectorAll(".field, button").forEach(function (element) {
            element.hidden = true;
          });
        }
      })
      .catch(function () {
        button.disabled = false;
        form.removeEventListener("submit", submit);
        form.submit();
      });
  }
  // A page may come from a cache, as it was up to a minute ago: the live count replaces the
  // one it shows, and its form takes a fresh render time, so that the time a visitor takes
  // to sign counts from now rather than from when the page was cached.
  function refreshCount(element) {
    // "no-cache": the count this browser read before signing is not the one to show after.
    fetch(element.getAttribute("data-count-url"), {
      headers: { Accept: "application/json" },
      credentials: "omit",
      cache: "no-cache",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (body) {
        var section = element.closest(".block-appeal") || document;
        var stamp = section.querySelector('[data-appeal-form] [name="rendered_at"]');
        if (stamp && body.rendered_at) stamp.value = body.rendered_at;
        var fresh = document.createElement("template");
        fresh.innerHTML = body.html;
        if (fresh.content.firstElementChild) element.replaceWith(fresh.content.firstElementChild);
      })
      .catch(function () {
        // The count the page shows stays: it is at most a minute old.
      });
  }
  document.querySelectorAll("[data-signature-count][data-count-url]").forEach(refreshCount);
  document.querySelectorAll("[data-appeal-form]").forEach(function (form) {
    form.querySelector("[data-form-status]").setAttribute("tabindex", "-1");
    form.addEventListener("submit", submit);
  });
})();
