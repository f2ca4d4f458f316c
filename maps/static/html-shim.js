/* folium's popups build their content with jQuery's $(`<div>...</div>`)[0]. This is the one use,
   so instead of shipping jQuery the pages define the little they need. */
window.$ = window.$ || function (html) {
  var template = document.createElement("template");
  template.innerHTML = String(html).trim();
  return [template.content.firstElementChild];
};
