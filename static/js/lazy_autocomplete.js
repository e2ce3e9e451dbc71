'use strict';
// The speaker boxes of a transcript's admin page: select2 (Django's autocomplete) is set up
// on a box when the editor first reaches it — by pointer or keyboard — instead of on every
// box as the page loads, which for a transcript of 300+ statements holds the browser for
// seconds. See statements/forms.py, LazyAutocompleteSelect.
{
    function start(event) {
        const box = event.target.closest && event.target.closest('select.lazy-autocomplete');
        if (!box || box.name.includes('__prefix__') || box.classList.contains('admin-autocomplete')) {
            return;
        }
        event.preventDefault();
        const $ = django.jQuery;
        box.classList.add('admin-autocomplete');
        $(box).djangoAdminSelect2();
        const open = () => $(box).select2('open');
        if (event.type === 'mousedown') {
            // After this press: select2 closes on any press outside itself, this one too.
            document.addEventListener('click', open, {once: true});
        } else {
            open();
        }
    }

    document.addEventListener('mousedown', start, true);
    document.addEventListener('focusin', start, true);
}
